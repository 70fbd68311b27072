from django.urls import path

from opencpf.www.scams_views import views

app_name = "scams"

urlpatterns = [
    path("", views.report, name="report"),
    path("envoye/", views.filed, name="filed"),
    path("precautions/", views.precautions, name="precautions"),
    path("suivi/<str:token>/", views.follow, name="follow"),
    path("<str:reference>/", views.status, name="status"),
]
