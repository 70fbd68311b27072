import pytest
from django.conf import settings


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/mentions-legales/",
        "/accessibilite/",
        "/donnees-personnelles/",
        "/compte/inscription/",
        "/compte/connexion/",
    ],
)
def test_public_pages_in_french_by_default(client, path):
    response = client.get(path, headers={"Accept-Language": "en-US,en"})
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
    assert "fr-header" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en"' in page
    assert "Create my account" in page


@pytest.mark.django_db
def test_home_has_skip_links_and_csp_nonce(client):
    response = client.get("/")
    page = response.content.decode()
    assert 'href="#content"' in page
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from config import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0] == "opencpf.accounts.hashers.Argon2PasswordHasher"
    assert settings.AUTH_PASSWORD_VALIDATORS
