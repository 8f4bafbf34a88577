from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "fulfil.schools"
    label = "schools"
