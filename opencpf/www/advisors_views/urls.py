from django.urls import path

from opencpf.www.advisors_views import views

app_name = "advisors"

urlpatterns = [
    path("conseillers/", views.find, name="find"),
    path("conseillers/sites/<int:site_id>/rendez-vous/", views.request_appointment, name="request"),
    path("conseillers/mes-rendez-vous/", views.holder_list, name="holder_list"),
    path("conseillers/mes-rendez-vous/<int:appointment_id>/", views.holder_detail, name="holder_detail"),
    path("conseillers/mes-rendez-vous/<int:appointment_id>/annuler/", views.holder_cancel, name="holder_cancel"),
    path("conseiller/", views.advisor_list, name="advisor_list"),
    path("conseiller/<int:appointment_id>/", views.advisor_detail, name="advisor_detail"),
    path("conseiller/<int:appointment_id>/<slug:action>/", views.advisor_action, name="advisor_action"),
]
