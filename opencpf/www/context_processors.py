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

    return {"SITE_CONFIG": SITE_CONFIG, "main_menu": main_menu(request.user, request.path)}
