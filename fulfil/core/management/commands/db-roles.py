"""`fulfil db-roles`: Django names commands after their module, and the issue asks for a hyphen,
so this module only gives the db_roles command its hyphenated name."""

from fulfil.core.management.commands.db_roles import Command

__all__ = ["Command"]
