from django.apps import AppConfig


class ScamsConfig(AppConfig):
    name = "opencpf.scams"
    default_auto_field = "django.db.models.BigAutoField"
