from django.apps import AppConfig


class AdvisorsConfig(AppConfig):
    name = "opencpf.advisors"
    verbose_name = "Career advisors (CEP)"
