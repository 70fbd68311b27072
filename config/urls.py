from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from opencpf.api.api import api
from opencpf.www.gestion_views.admin_site import restrict_admin

restrict_admin(admin.site)

urlpatterns = [
    path("", include("opencpf.www.urls")),
    path("compte/identite/", include("opencpf.www.identity_views.urls")),
    path("compte/", include("opencpf.www.accounts_views.urls")),
    path("catalogue/", include("opencpf.www.catalogue_views.urls")),
    path("droits/", include("opencpf.www.rights_views.urls")),
    path("dossiers/", include("opencpf.www.dossiers_views.urls")),
    path("organisme/", include("opencpf.www.organisations_views.urls")),
    path("signalement/", include("opencpf.www.scams_views.urls")),
    path("", include("opencpf.www.advisors_views.urls")),
    path("financeur/", include("opencpf.www.funders_views.urls")),
    path("abondement/", include("opencpf.www.funders_views.holder_urls")),
    path("aide/", include("opencpf.www.support_views.urls")),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("gestion/admin/", admin.site.urls),
    path("gestion/", include("opencpf.www.gestion_views.urls")),
]

# Error pages in the DSFR layout, in the visitor's language, with a way back (opencpf.www.pages_views.errors).
handler400 = "opencpf.www.pages_views.errors.bad_request"
handler403 = "opencpf.www.pages_views.errors.permission_denied"
handler404 = "opencpf.www.pages_views.errors.page_not_found"
handler500 = "opencpf.www.pages_views.errors.server_error"
