"""Plans are not in Django admin: they are children's records (issue 18)."""
