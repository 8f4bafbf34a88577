from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "fulfil.plans"
    label = "plans"
