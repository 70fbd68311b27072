from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "opencpf.www"
    label = "www"
    verbose_name = "OpenCPF web"
