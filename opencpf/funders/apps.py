from django.apps import AppConfig


class FundersConfig(AppConfig):
    name = "opencpf.funders"
    verbose_name = "Funders"
