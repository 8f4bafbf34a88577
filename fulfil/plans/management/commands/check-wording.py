"""`fulfil check-wording`: Django names commands after their module, and the issue asks for a
hyphen, so this module only gives the check_wording command its hyphenated name."""

from fulfil.plans.management.commands.check_wording import Command

__all__ = ["Command"]
