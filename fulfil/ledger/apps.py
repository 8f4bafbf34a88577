from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "fulfil.ledger"
    label = "ledger"
