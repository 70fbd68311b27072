from django.urls import path

from opencpf.www.funders_views import views

app_name = "funders"

urlpatterns = [
    path("", views.home, name="home"),
    path("credits/nouveau/", views.credit_new, name="credit_new"),
    path("credits/import/", views.credit_import, name="credit_import"),
    path("suivi.csv", views.report_csv, name="report_csv"),
    path("abondements/", views.file_requests, name="file_requests"),
    path("abondements/<int:request_id>/", views.file_request_detail, name="file_request_detail"),
]
