import pytest
from django.core import mail
from hypothesis import settings as hypothesis_settings

# Property tests check behaviour, not speed: no per-example deadline (two suites share two cores in CI).
hypothesis_settings.register_profile("opencpf", deadline=None)
hypothesis_settings.load_profile("opencpf")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # argon2 stays the production hasher (a test pins it); tests use a fast one to keep the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    mail.outbox = []


@pytest.fixture
def api_client(client):
    """The Django test client speaking JSON, with `.bearer(token)` to sign requests."""

    class ApiClient:
        def __init__(self):
            self.headers: dict[str, str] = {}

        def bearer(self, token: str) -> "ApiClient":
            self.headers = {"Authorization": f"Bearer {token}"}
            return self

        def get(self, path, data=None, **extra):
            return client.get(path, data, headers=self.headers | extra.pop("headers", {}), **extra)

        def delete(self, path, **extra):
            return client.delete(path, headers=self.headers | extra.pop("headers", {}), **extra)

        def post(self, path, data=None, **extra):
            return client.post(
                path,
                data or {},
                content_type="application/json",
                headers=self.headers | extra.pop("headers", {}),
                **extra,
            )

    return ApiClient()


@pytest.fixture
def english(settings):
    """Messages asserted in English: the interface language for this test (web, API and management commands)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
