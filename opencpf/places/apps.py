from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "opencpf.places"
    label = "places"
