from django.urls import path

from opencpf.www.dossiers_views import views, worklist

app_name = "dossiers"

urlpatterns = [
    path("", views.holder_list, name="list"),
    path("inscription/<int:session_id>/", views.register, name="register"),
    path("<int:dossier_id>/", views.detail, name="detail"),
    path("<int:dossier_id>/accepter/", views.accept, name="accept"),
    path("<int:dossier_id>/annuler/", views.cancel, name="cancel"),
    path("<int:dossier_id>/evaluer/", views.evaluate, name="evaluate"),
    path("organisme/", worklist.organisation_worklist, name="organisation_requests"),
    path("organisme/paiements/", views.organisation_payments, name="organisation_payments"),
    path("organisme/<int:dossier_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisme/<int:dossier_id>/<slug:action>/", views.organisation_action, name="organisation_action"),
]
