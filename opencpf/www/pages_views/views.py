from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from opencpf.rights.selectors import rights_balance
from opencpf.www.navigation import dashboard_tiles
from opencpf.www.sitemaps import PublicPagesSitemap, public_pages


def home(request):
    return render(request, "pages/home.html", {"page_title": _("Home")})


@login_required
def dashboard(request):
    user = request.user
    context = {"page_title": _("My account"), "dashboard_tiles": dashboard_tiles(user)}
    if user.is_holder and hasattr(user, "holder"):
        context["balance"] = rights_balance(user.holder)
    return render(request, "pages/dashboard.html", context)


def legal(request):
    return render(request, "pages/legal.html", {"page_title": _("Legal notice"), "breadcrumb": []})


def accessibility(request):
    return render(request, "pages/accessibility.html", {"page_title": _("Accessibility"), "breadcrumb": []})


def privacy(request):
    return render(request, "pages/privacy.html", {"page_title": _("Personal data"), "breadcrumb": []})


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
    return sitemap(request, {"pages": PublicPagesSitemap})


def favicon(request):
    # Browsers ask /favicon.ico whatever the page says; the design system's icon is the site's.
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)
