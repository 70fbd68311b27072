"""The public pages, once: listed for search engines (sitemap.xml) and for people (the site map page); and the
public offers for search engines, in pages of the sitemaps protocol's size (a catalogue of ~200 000 offers)."""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opencpf.catalogue.selectors import public_offers

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


class OnePagePaginator(Paginator):
    """A sitemap page in one query: the slice of the page, without the count Django's paginator makes first (the
    index counts once to list the pages; a page past the end is empty, hence a 404)."""

    def page(self, number):
        number = self.validate_number(number) if not isinstance(number, int) else number
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        bottom = (number - 1) * self.per_page
        items = list(self.object_list[bottom : bottom + self.per_page])
        if not items and number > 1:
            raise EmptyPage("That page contains no results")
        return Page(items, number, self)

    def validate_number(self, number):
        try:
            return int(number)
        except (TypeError, ValueError):
            raise EmptyPage("That page number is not an integer") from None


class PublicOffersSitemap(Sitemap):
    """Every offer the public may see (`public_offers`: published, not delisted, from a listed organisation with a
    valid Qualiopi certificate), by id, with the day it last changed."""

    changefreq = "weekly"
    limit = 50_000  # the sitemaps protocol's maximum per file

    def items(self):
        return public_offers().order_by("pk").values_list("pk", "updated_at")

    @property
    def paginator(self):
        return OnePagePaginator(self.items(), self.limit)

    def location(self, item):
        return self._offer_path.replace("/0/", f"/{item[0]}/")

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):  # one aggregate, not a walk over every offer
        return public_offers().aggregate(latest=Max("updated_at"))["latest"]

    @property
    def _offer_path(self) -> str:
        return reverse("catalogue:offer", args=[0])


SITEMAPS = {"pages": PublicPagesSitemap, "offers": PublicOffersSitemap}
