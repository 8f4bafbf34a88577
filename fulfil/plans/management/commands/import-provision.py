"""`fulfil import-provision`: the hyphenated name of import_provision."""

from fulfil.plans.management.commands.import_provision import Command

__all__ = ["Command"]
