from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from fulfil.core.db_roles import append_only_sql


def narrow_append_only_tables(sender, using, **kwargs) -> None:
    """After every migrate on PostgreSQL, nobody but the owner holds more than INSERT and SELECT
    on the access log, whatever default privileges gave a table's new version (ADR 0016)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in append_only_sql():
            cursor.execute(statement)


class CoreConfig(AppConfig):
    name = "fulfil.core"
    label = "core"

    def ready(self) -> None:
        post_migrate.connect(narrow_append_only_tables, sender=self)
