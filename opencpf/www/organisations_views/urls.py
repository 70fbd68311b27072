from django.urls import path

from opencpf.www.organisations_views import identity, payments, staff

app_name = "organisations"

urlpatterns = [
    path("equipe/", staff.team, name="team"),
    path("identite/", identity.identity, name="identity"),
    path("paiements/<int:payment_id>/releve.csv", payments.statement, name="payment_statement"),
    path("identite/code/", identity.send_code, name="identity_code"),
    path("equipe/<int:user_id>/roles/", staff.member_roles, name="member_roles"),
    path("equipe/<int:user_id>/retirer/", staff.member_revoke, name="member_revoke"),
    path("invitations/<int:invitation_id>/annuler/", staff.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", staff.invitation, name="invitation"),
    path("cles-api/", staff.api_key_create, name="api_key_create"),
    path("cles-api/<int:key_id>/revoquer/", staff.api_key_revoke, name="api_key_revoke"),
]
