from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "opencpf.demo"
    label = "demo"
