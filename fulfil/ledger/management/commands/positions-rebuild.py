"""`fulfil positions-rebuild`: Django names commands after their module, and the issue asks for
a hyphen, so this module only gives the positions_rebuild command its hyphenated name."""

from fulfil.ledger.management.commands.positions_rebuild import Command

__all__ = ["Command"]
