"""fulfil db-roles: create the database's owner and runtime roles and give each what it may do
(ADR 0016). Run it as the cluster administrator, once per database; running it again is safe."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from fulfil.core.db_roles import APPEND_ONLY_TABLES, db_roles_sql


class Command(BaseCommand):
    help = ("Create the PostgreSQL owner role (owns the tables, runs migrations) and runtime role "
            "(the application: no ownership, only INSERT and SELECT on the access log).")

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="fulfil_owner", help="the role that owns the tables and runs migrations")
        parser.add_argument("--runtime", default="fulfil_app", help="the role the application connects as")
        parser.add_argument("--sql", action="store_true", help="print the SQL instead of running it")

    def handle(self, *args, **options):
        try:
            statements = db_roles_sql(owner=options["owner"], runtime=options["runtime"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["sql"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are for PostgreSQL; this database is "
                               f"{connection.vendor} (use --sql to see the statements)")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                raise CommandError("Run this as the cluster administrator (a role that may create roles), "
                                   "with DATABASE_URL naming the application's database")
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Roles ready: {options['owner']} owns the tables and runs migrations "
                          f"(FULFIL_MIGRATE_DATABASE_URL); {options['runtime']} is the application's "
                          f"(DATABASE_URL) and may only insert and read {', '.join(APPEND_ONLY_TABLES)}. "
                          "Set each one's password with ALTER ROLE ... PASSWORD.")
