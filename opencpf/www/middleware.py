from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from opencpf.utils.client import is_trusted_proxy

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)
# No page uses the camera, the microphone, the position, payments through the browser, USB or sensors.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


class TrustedProxyMiddleware:
    """X-Forwarded-* headers only count when the peer is a trusted proxy (OPENCPF_TRUSTED_PROXIES): anyone else
    could claim HTTPS (SECURE_PROXY_SSL_HEADER) or another address. First in the chain, before Django reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Signed-in pages and every API answer are never stored by a browser or a shared cache (a NIR, a balance on a
    shared computer); every answer says which browser features the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class FrenchFirstLocaleMiddleware:
    """French unless the visitor chose otherwise (language cookie); the API also honours Accept-Language.

    Django's LocaleMiddleware would follow the browser's Accept-Language on every page, so a French public
    service would greet most visitors in English; here that is the visitor's explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
            if request.path.startswith("/api/"):
                language = translation.get_language_from_request(request) or language
                if language not in self.supported:
                    language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(
            response, ("Cookie", "Accept-Language") if request.path.startswith("/api/") else ("Cookie",)
        )
        response.headers.setdefault("Content-Language", language)
        return response
