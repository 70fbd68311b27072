from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps.views import index, sitemap
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from opencpf.accounts.lockouts import LOCKOUT_MEMORY
from opencpf.accounts.services import API_TOKEN_LIFETIME
from opencpf.dossiers.selectors import files_awaiting_holder, state_message
from opencpf.rights.selectors.balances import rights_balance
from opencpf.rights.selectors.outlook import empty_account_outlook
from opencpf.www.navigation import dashboard_tiles
from opencpf.www.pages_views import accessibility as statement
from opencpf.www.sitemaps import SITEMAPS, public_pages


def home(request):
    return render(request, "pages/home.html", {"page_title": _("Home")})


@login_required
def dashboard(request):
    user = request.user
    context = {"page_title": _("My account"), "dashboard_tiles": dashboard_tiles(user)}
    if user.is_holder and hasattr(user, "holder"):
        today = timezone.localdate()
        balance = rights_balance(user.holder)
        context["balance"] = balance
        # What waits for the holder comes first; an empty account says why and when rights arrive.
        context["to_do"] = [(d, state_message(d, "holder")) for d in files_awaiting_holder(user, today)]
        if not balance.total and not balance.closed_on:
            context["outlook"] = empty_account_outlook(user.holder, today=today)
    return render(request, "pages/dashboard.html", context)


def legal(request):
    context = {
        "page_title": _("Legal notice"),
        "publisher": settings.OPENCPF_PUBLISHER,
        "director": settings.OPENCPF_PUBLICATION_DIRECTOR,
        "host": settings.OPENCPF_HOST,
        "source_url": settings.OPENCPF_SOURCE_URL,
    }
    return render(request, "pages/legal.html", context)


def accessibility(request):
    context = {
        "page_title": _("Accessibility"),
        "statement_date": statement.STATEMENT_DATE,
        "rgaa_version": statement.RGAA_VERSION,
        "checked_pages": statement.CHECKED_PAGES,
        "tools": statement.TOOLS,
    }
    return render(request, "pages/accessibility.html", context)


def privacy(request):
    # Retention periods the code applies, read where the code reads them.
    context = {
        "page_title": _("Personal data"),
        "publisher": settings.OPENCPF_PUBLISHER,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "token_days": API_TOKEN_LIFETIME.days,
        "lockout_hours": int(LOCKOUT_MEMORY.total_seconds() // 3600),
    }
    return render(request, "pages/privacy.html", context)


def site_map(request):
    return render(request, "pages/site_map.html", {"page_title": _("Site map"), "pages": public_pages()})


# Signed-in spaces hold nothing for a search engine; the API is described by its schema.
ROBOTS_DISALLOW = ("/compte/", "/dossiers/", "/organisme/", "/financeur/", "/abondement/", "/gestion/", "/api/")


@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('www:sitemap_xml'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_xml(request):
    """The index: the public pages' sitemap, then the offers' in pages of 50 000."""
    return index(request, SITEMAPS, sitemap_url_name="www:sitemap_section")


def sitemap_section(request, section):
    return sitemap(request, SITEMAPS, section=section)


def favicon(request):
    # Browsers ask /favicon.ico whatever the page says; the design system's icon is the site's.
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)
