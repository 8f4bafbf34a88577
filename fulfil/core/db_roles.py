"""The two PostgreSQL roles Fulfil runs with (issue 18, ADR 0016).

- The owner owns the schema, every table, sequence and function, and runs the migrations
  (`FULFIL_MIGRATE_DATABASE_URL`). Nothing else connects as it.
- The runtime role is what the web server and commands connect as (`DATABASE_URL`). It owns
  nothing, so it cannot ALTER, DROP or TRUNCATE a table, disable or drop a trigger, or replace
  a function; it may read and write the ordinary tables, and only INSERT and SELECT on the
  append-only ones, so no record of who saw a child can be changed or removed by the application,
  nor by anyone who takes it over.

The statements are idempotent. New tables made by later migrations get the runtime role's grants
from the owner's default privileges, and every `migrate` ends by narrowing the append-only
tables again (`append_only_sql`, run by fulfil.core.apps on post_migrate), so the order in which
an operator runs `db-roles` and `migrate` on a new database does not matter.
"""

from __future__ import annotations

import re

# Tables whose rows are only ever inserted (the models refuse too, and a trigger on PostgreSQL).
APPEND_ONLY_TABLES = ("core_accessrecord",)

# Everything in the schema that someone else owns (the administrator who ran the first
# migrations, or the single role an older deployment used) passes to the owner. A sequence
# that belongs to a table's identity column moves with its table.
TAKE_OWNERSHIP = """DO $$ DECLARE item record; BEGIN
    FOR item IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
            AND pg_get_userbyid(c.relowner) <> '{owner}'
            AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                            AND d.objid = c.oid AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
    LOOP
        EXECUTE format('ALTER %s %I.%I OWNER TO %I',
            CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
            '{schema}', item.relname, '{owner}');
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = '{schema}' AND pg_get_userbyid(p.proowner) <> '{owner}'
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.signature, '{owner}');
    END LOOP;
END $$"""

# Whoever holds more than INSERT and SELECT on an append-only table, at table or column level,
# loses it; only the owner keeps its rights (and the trigger binds even the owner). Nothing
# happens on a database whose migrations have not made the table yet.
NARROW_APPEND_ONLY = """DO $$ DECLARE holder oid; BEGIN
    IF to_regclass('{schema}.{table}') IS NULL THEN RETURN; END IF;
    REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {schema}.{table} FROM PUBLIC;
    FOR holder IN SELECT DISTINCT a.grantee FROM pg_class c
            LEFT JOIN pg_attribute col ON col.attrelid = c.oid
            CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, '{{}}') || coalesce(col.attacl, '{{}}')) a
            WHERE c.oid = to_regclass('{schema}.{table}') AND a.grantee NOT IN (0, c.relowner)
            AND a.privilege_type NOT IN ('INSERT', 'SELECT')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %I.%I FROM %I',
                       '{schema}', '{table}', pg_get_userbyid(holder));
    END LOOP;
END $$"""


def append_only_sql(schema: str = "public") -> list[str]:
    """Narrow every role's rights on the append-only tables to INSERT and SELECT."""
    return [NARROW_APPEND_ONLY.format(schema=role_name(schema), table=table) for table in APPEND_ONLY_TABLES]


_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def role_name(text: str) -> str:
    """A role name that is safe to write into SQL: lower-case letters, digits and underscores."""
    if not _ROLE_NAME.fullmatch(text):
        raise ValueError(f"A role name is lower-case letters, digits and _ (at most 63), not {text!r}")
    return text


def db_roles_sql(*, owner: str, runtime: str, schema: str = "public") -> list[str]:
    """The statements that create both roles (if missing) and give each what it may do, for a
    cluster administrator (a superuser) to run while connected to the application's database."""
    owner, runtime, schema = role_name(owner), role_name(runtime), role_name(schema)
    if owner == runtime:
        raise ValueError("The owner and the runtime role must be different roles")
    create = """DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN CREATE ROLE "{name}" LOGIN; END IF;
END $$"""
    statements = [
        create.format(name=owner),
        create.format(name=runtime),
        # Neither may become a superuser or make roles; the runtime role may not become the owner.
        f'ALTER ROLE "{owner}" NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
        f'ALTER ROLE "{runtime}" NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT',
        f'REVOKE "{owner}" FROM "{runtime}"',
        f"DO $$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO %I', current_database(), '{owner}'); END $$",
        f'ALTER SCHEMA "{schema}" OWNER TO "{owner}"',
        TAKE_OWNERSHIP.format(schema=schema, owner=owner),
        # Anything an older single-role deployment left owned by the runtime role.
        f'REASSIGN OWNED BY "{runtime}" TO "{owner}"',
        f'REVOKE CREATE ON SCHEMA "{schema}" FROM PUBLIC',
        f'REVOKE ALL ON SCHEMA "{schema}" FROM "{runtime}"',
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{runtime}"',
        f"DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), '{runtime}'); END $$",
        f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM "{runtime}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{runtime}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{runtime}"',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA "{schema}" '
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{runtime}"',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA "{schema}" '
        f'GRANT USAGE, SELECT ON SEQUENCES TO "{runtime}"',
    ]
    return statements + append_only_sql(schema)
