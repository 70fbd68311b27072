from django.urls import path

from opencpf.www.accounts_views import views

app_name = "accounts"

urlpatterns = [
    path("inscription/", views.register, name="register"),
    path("confirmer-email/", views.confirm_email, name="confirm_email"),
    path("connexion/", views.login_view, name="login"),
    path("connexion/code/", views.login_code, name="login_code"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe-oublie/termine/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("securite/", views.security, name="security"),
    path("securite/mot-de-passe/", views.password_change, name="password_change"),
    path("securite/sessions/<int:session_id>/fermer/", views.session_revoke, name="session_revoke"),
    path("securite/appareils/<int:device_id>/oublier/", views.device_forget, name="device_forget"),
    path("securite/deconnexion-partout/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("securite/double-authentification/", views.totp_setup, name="totp_setup"),
    path("securite/double-authentification/desactiver/", views.totp_disable, name="totp_disable"),
    path("informations/", views.information, name="information"),
    path("informations/email/", views.email_confirm, name="email_confirm"),
    path("informations/telephone/", views.phone_confirm, name="phone_confirm"),
]
