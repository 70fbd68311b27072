from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "opencpf.api"
    label = "api"
