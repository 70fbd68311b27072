from django.urls import path

from opencpf.www.organisations_views import catalogue, identity, payments, staff

app_name = "organisations"

urlpatterns = [
    path("equipe/", staff.team, name="team"),
    path("identite/", identity.identity, name="identity"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/export.csv", catalogue.export, name="catalogue_export"),
    path("catalogue/nouvelle-offre/", catalogue.offer_new, name="offer_new"),
    path("catalogue/offres/<int:offer_id>/nouvelle-session/", catalogue.session_new, name="session_new"),
    path("catalogue/import/", catalogue.import_csv, name="catalogue_import"),
    path("catalogue/offres/<int:offer_id>/<slug:action>/", catalogue.offer_action, name="offer_action"),
    path("paiements/<int:payment_id>/releve.csv", payments.statement, name="payment_statement"),
    path("identite/code/", identity.send_code, name="identity_code"),
    path("identite/changements/<int:change_id>/confirmer/", identity.confirm_change, name="bank_change_confirm"),
    path("identite/changements/<int:change_id>/rejeter/", identity.reject_change, name="bank_change_reject"),
    path("equipe/<int:user_id>/roles/", staff.member_roles, name="member_roles"),
    path("equipe/<int:user_id>/retirer/", staff.member_revoke, name="member_revoke"),
    path("invitations/<int:invitation_id>/annuler/", staff.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", staff.invitation, name="invitation"),
    path("cles-api/", staff.api_key_create, name="api_key_create"),
    path("cles-api/<int:key_id>/revoquer/", staff.api_key_revoke, name="api_key_revoke"),
]
