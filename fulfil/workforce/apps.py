from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "fulfil.workforce"
    label = "workforce"
