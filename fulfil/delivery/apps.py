from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "fulfil.delivery"
    label = "delivery"
