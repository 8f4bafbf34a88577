from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fulfil.core"
    label = "core"
