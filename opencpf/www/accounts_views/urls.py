from django.urls import path

from opencpf.www.accounts_views.views import information, password_reset, registration, security, sign_in

app_name = "accounts"

urlpatterns = [
    path("inscription/", registration.register, name="register"),
    path("confirmer-email/", registration.confirm_email, name="confirm_email"),
    path("connexion/", sign_in.login_view, name="login"),
    path("connexion/code/", sign_in.login_code, name="login_code"),
    path("deconnexion/", sign_in.logout_view, name="logout"),
    path("mot-de-passe-oublie/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", password_reset.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        password_reset.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("securite/", security.security, name="security"),
    path("securite/mot-de-passe/", security.password_change, name="password_change"),
    path("securite/sessions/<int:session_id>/fermer/", security.session_revoke, name="session_revoke"),
    path("securite/appareils/<int:device_id>/oublier/", security.device_forget, name="device_forget"),
    path("securite/deconnexion-partout/", security.sign_out_everywhere, name="sign_out_everywhere"),
    path("securite/double-authentification/", security.totp_setup, name="totp_setup"),
    path("securite/double-authentification/desactiver/", security.totp_disable, name="totp_disable"),
    path("informations/", information.information, name="information"),
    path("informations/email/", information.email_confirm, name="email_confirm"),
    path("informations/telephone/", information.phone_confirm, name="phone_confirm"),
]
