from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opencpf.accounts"
    label = "accounts"
