from django.urls import path

from opencpf.www.catalogue_views import views

app_name = "catalogue"

urlpatterns = [
    path("", views.search, name="search"),
    path("offres/<int:offer_id>/", views.offer, name="offer"),
    path("organismes/<int:organisation_id>/", views.organisation, name="organisation"),
]
