from django.urls import path

from opencpf.www.dossiers_views import worklist
from opencpf.www.dossiers_views.views import holder, organisation

app_name = "dossiers"

urlpatterns = [
    path("", holder.holder_list, name="list"),
    path("inscription/<int:session_id>/", holder.register, name="register"),
    path("<int:dossier_id>/", holder.detail, name="detail"),
    path("<int:dossier_id>/accepter/", holder.accept, name="accept"),
    path("<int:dossier_id>/annuler/", holder.cancel, name="cancel"),
    path("<int:dossier_id>/evaluer/", holder.evaluate, name="evaluate"),
    path("organisme/", worklist.organisation_worklist, name="organisation_requests"),
    path("organisme/paiements/", organisation.organisation_payments, name="organisation_payments"),
    path("organisme/<int:dossier_id>/", organisation.organisation_detail, name="organisation_detail"),
    path("organisme/<int:dossier_id>/<slug:action>/", organisation.organisation_action, name="organisation_action"),
]
