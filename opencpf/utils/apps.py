from django.apps import AppConfig


class UtilsConfig(AppConfig):
    name = "opencpf.utils"
    label = "utils"
