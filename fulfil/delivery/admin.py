"""Sessions are not in Django admin: they are children's records, changed only through Fulfil's
pages, where every correction keeps what it replaced (issue 18)."""
