from django.urls import path

from opencpf.www.accounts_views import views

app_name = "accounts"

urlpatterns = [
    path("inscription/", views.register, name="register"),
    path("confirmer-email/", views.confirm_email, name="confirm_email"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
]
