from django.utils.translation import gettext_lazy as _


class SiteConfig:
    """What django-dsfr's templates read from SITE_CONFIG, without its per-request database query."""

    site_title = _("OpenCPF — My training account")
    site_tagline = _("Personal training account (CPF)")
    header_brand_html = "République<br>Française"
    footer_brand_html = "République<br>Française"
    beta_tag = True
    mourning = False
    notice_title = ""
    notice_description = ""


SITE_CONFIG = SiteConfig()


def site(request):
    from opencpf.www.navigation import main_menu

    menu = main_menu(request.user, request.path)
    return {"SITE_CONFIG": SITE_CONFIG, "main_menu": menu, "main_menu_key": _menu_key(request, menu)}


def _menu_key(request, menu: list[dict]) -> str:
    """Everything the header's menu shows besides the language (layout/header.html caches it under this key): the
    entries (by role), which one is current, and the links only some users or pages have."""
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match else ""
    user = request.user
    return "|".join(
        (
            str(getattr(user, "role", "") or ""),
            "1" if user.is_authenticated else "0",
            url_name if url_name in ("home", "dashboard") else "",
            ",".join(f"{item['url']}={item['current']}" for item in menu),
        )
    )
