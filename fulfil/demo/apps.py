from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fulfil.demo"
    label = "demo"
