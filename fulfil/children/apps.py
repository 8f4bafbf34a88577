from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "fulfil.children"
    label = "children"
