from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fulfil.accounts"
    label = "accounts"
