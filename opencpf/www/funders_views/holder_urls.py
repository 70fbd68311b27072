from django.urls import path

from opencpf.www.funders_views import views

app_name = "file_top_ups"

urlpatterns = [
    path("<int:dossier_id>/", views.holder_file_top_up, name="ask"),
    path("<int:dossier_id>/lettre-employeur.pdf", views.holder_employer_letter, name="employer_letter"),
]
