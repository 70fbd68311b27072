from django.urls import path

from opencpf.www.rights_views import views

app_name = "rights"

urlpatterns = [
    path("", views.my_rights, name="my_rights"),
    path("simuler/", views.simulate, name="simulate"),
]
