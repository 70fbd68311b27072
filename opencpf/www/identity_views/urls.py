from django.urls import path

from opencpf.www.identity_views import franceconnect, views

app_name = "identity"

urlpatterns = [
    path("", views.check, name="check"),
    path("mon-numero/", views.recover, name="recover"),
    path("envoyee/", views.sent, name="sent"),
    path("situation/", views.situation, name="situation"),
    path("acces-etranger/", views.access_request, name="access_request"),
    path("franceconnect/", franceconnect.verify, name="franceconnect_verify"),
    path("franceconnect/connexion/", franceconnect.sign_in, name="franceconnect_sign_in"),
    path("franceconnect/retour/", franceconnect.callback, name="franceconnect_callback"),
    path("franceconnect/delier/", franceconnect.unlink, name="franceconnect_unlink"),
]
