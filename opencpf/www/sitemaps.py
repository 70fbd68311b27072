"""The public pages, once: listed for search engines (sitemap.xml) and for people (the site map page)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PUBLIC_PAGES = (
    ("www:home", _("Home")),
    ("catalogue:search", _("Find a training")),
    ("rights:simulate", _("Simulate my rights")),
    ("advisors:find", _("Find a career advisor")),
    ("support:help", _("Help")),
    ("support:contact", _("Contact us")),
    ("scams:report", _("Report a scam")),
    ("scams:precautions", _("Precautions against scams")),
    ("accounts:register", _("Create my account")),
    ("accounts:login", _("Sign in")),
    ("identity:access_request", _("Ask for access from abroad")),
    ("www:legal", _("Legal notice")),
    ("www:privacy", _("Personal data")),
    ("www:accessibility", _("Accessibility")),
    ("www:sitemap", _("Site map")),
)


class PublicPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [name for name, _title in PUBLIC_PAGES]

    def location(self, item):
        return reverse(item)


def public_pages() -> list[dict]:
    return [{"url": reverse(name), "title": title} for name, title in PUBLIC_PAGES]
