from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "fulfil.planning"
    verbose_name = "Capacity and term planning"
