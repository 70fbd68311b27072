from django.urls import path

from opencpf.www.identity_views import views

app_name = "identity"

urlpatterns = [
    path("", views.check, name="check"),
    path("mon-numero/", views.recover, name="recover"),
    path("envoyee/", views.sent, name="sent"),
    path("situation/", views.situation, name="situation"),
    path("acces-etranger/", views.access_request, name="access_request"),
]
