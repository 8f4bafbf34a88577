"""What a database holds, read the same way at backup and after a restore: each table's row
count and checksum, and the access log's protections (ADR 0016), with what is wrong with them in
plain words. Table names, counts and checksums only: never a row's contents."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from fulfil.core.db_roles import APPEND_ONLY_TABLES

# The access log's triggers (core migrations 0002 and 0004/0005): a restore without them is not a
# restore of Fulfil, whatever the backup says.
REQUIRED_TRIGGERS = {"core_accessrecord": ("core_accessrecord_append_only", "core_accessrecord_no_truncate")}
# Rows compared as text must read the same on both servers whatever their defaults.
SESSION = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1"


def one_row(cursor: psycopg.Cursor) -> tuple[Any, ...]:
    """The row a query that always answers one row gave."""
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError("PostgreSQL answered no row to a query that always answers one")
    return row


def user_tables(cursor: psycopg.Cursor) -> list[tuple[str, str]]:
    cursor.execute("""SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%' ORDER BY 1, 2""")
    return [(schema, table) for schema, table in cursor.fetchall()]


def table_figures(cursor: psycopg.Cursor) -> dict[str, dict[str, Any]]:
    """Each table's row count and a checksum of its rows: the sum of the first 64 bits of each
    row's MD5, so it reads the table once, in any order, in constant memory."""
    cursor.execute(SESSION)
    figures = {}
    for schema, table in user_tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)::text "
                               "FROM {} AS t").format(sql.Identifier(schema, table)))
        rows, checksum = one_row(cursor)
        figures[f"{schema}.{table}"] = {"rows": rows, "checksum": checksum}
    return figures


def access_log_protections(cursor: psycopg.Cursor) -> dict[str, Any]:
    """For each append-only table: its owner, its triggers (and whether each is enabled, and
    who owns its function), and every grant on it, table- or column-level."""
    found: dict[str, Any] = {}
    for table in APPEND_ONLY_TABLES:
        cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(%s)", [f"public.{table}"])
        row = cursor.fetchone()
        if row is None:
            found[table] = None
            continue
        cursor.execute("""SELECT t.tgname, t.tgenabled IN ('O', 'A'), p.proname, pg_get_userbyid(p.proowner)
            FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE t.tgrelid = to_regclass(%s) AND NOT t.tgisinternal ORDER BY 1""", [f"public.{table}"])
        triggers = [{"name": name, "enabled": enabled, "function": function, "function_owner": owner}
                    for name, enabled, function, owner in cursor.fetchall()]
        cursor.execute("""SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                a.privilege_type, coalesce(col.attname, '')
            FROM pg_class c LEFT JOIN pg_attribute col ON col.attrelid = c.oid AND col.attacl IS NOT NULL
            CROSS JOIN LATERAL aclexplode(CASE WHEN col.attname IS NULL THEN coalesce(c.relacl, acldefault('r', c.relowner))
                                               ELSE col.attacl END) a
            WHERE c.oid = to_regclass(%s) ORDER BY 1, 2, 3""", [f"public.{table}"])
        grants = [f"{grantee}:{privilege}" + (f"({column})" if column else "") for grantee, privilege, column in cursor.fetchall()]
        found[table] = {"owner": row[0], "triggers": triggers, "grants": grants}
    return found


def protection_problems(found: dict[str, Any], backed_up: dict[str, Any]) -> list[str]:
    """What is wrong with the access log's protections, in plain words; [] when nothing is."""
    problems = []
    for table in APPEND_ONLY_TABLES:
        now = found.get(table)
        if now is None:
            problems.append(f"{table} is missing")
            continue
        enabled = {trigger["name"] for trigger in now["triggers"] if trigger["enabled"]}
        for name in REQUIRED_TRIGGERS.get(table, ()):
            if name not in enabled:
                problems.append(f"{table}: trigger {name} is missing or disabled")
        for grant in now["grants"]:
            grantee, privilege = grant.split(":", 1)
            if grantee != now["owner"] and privilege.split("(")[0] not in ("INSERT", "SELECT"):
                problems.append(f"{table}: {grantee} holds {privilege} (only INSERT and SELECT are allowed)")
        then = backed_up.get(table) or {}
        for key in ("owner", "triggers", "grants"):
            if then and now[key] != then.get(key):
                problems.append(f"{table}: {key} differ from the backup ({then.get(key)} then, {now[key]} now)")
    return problems


def refusal_problems(cursor: psycopg.Cursor) -> tuple[list[str], list[str]]:
    """Try to change, delete and truncate the access log, each in a transaction that is rolled
    back, as the session restore runs in: each must be refused by PostgreSQL. A test database
    lets TRUNCATE through when a session says so (core migration 0005): a restored database
    must not say so by default."""
    problems, tried = [], []
    cursor.execute("SELECT coalesce(current_setting('fulfil.allow_truncate_for_tests', true), '')")
    if one_row(cursor)[0] == "on":
        problems.append("fulfil.allow_truncate_for_tests is on for this database or role: TRUNCATE of the access log is allowed")
    for table in APPEND_ONLY_TABLES:
        ident = sql.Identifier("public", table)
        attempts = {"TRUNCATE": sql.SQL("TRUNCATE {}").format(ident)}
        cursor.execute(sql.SQL("SELECT min(id) FROM {}").format(ident))
        first = one_row(cursor)[0]
        if first is None:
            tried.append(f"(UPDATE and DELETE not tried: {table} is empty)")
        else:
            attempts["UPDATE"] = sql.SQL("UPDATE {} SET id = id WHERE id = {}").format(ident, sql.Literal(first))
            attempts["DELETE"] = sql.SQL("DELETE FROM {} WHERE id = {}").format(ident, sql.Literal(first))
        for verb, statement in attempts.items():
            try:
                with cursor.connection.transaction(force_rollback=True):
                    cursor.execute(statement)
            except (psycopg.errors.RaiseException, psycopg.errors.InsufficientPrivilege):
                tried.append(f"{verb} {table}")
            except psycopg.Error as error:
                problems.append(f"{verb} on {table} could not be tried: {error.sqlstate}")
            else:
                problems.append(f"{verb} on {table} was allowed")
    return problems, tried


def table_problems(restored: dict[str, dict[str, Any]], backed_up: dict[str, dict[str, Any]]) -> list[str]:
    problems = [f"table {name} is missing" for name in sorted(set(backed_up) - set(restored))]
    problems += [f"table {name} is not in the backup" for name in sorted(set(restored) - set(backed_up))]
    for name in sorted(set(restored) & set(backed_up)):
        now, then = restored[name], backed_up[name]
        if now["rows"] != then["rows"]:
            problems.append(f"table {name}: {now['rows']} rows, {then['rows']} in the backup")
        elif now["checksum"] != then["checksum"]:
            problems.append(f"table {name}: its rows differ from the backup (checksum)")
    return problems
