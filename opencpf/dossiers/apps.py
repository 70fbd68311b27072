from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "opencpf.dossiers"
    label = "dossiers"
