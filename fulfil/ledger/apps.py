from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "fulfil.ledger"
    label = "ledger"

    def ready(self) -> None:
        from fulfil.ledger import receivers  # noqa: F401, PLC0415 - apps are ready only here; connects the stored positions' receivers
