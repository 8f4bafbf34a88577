"""Children are not in Django admin: the administrator holds no child data (issue 18). A child's
record is read and changed through Fulfil's own pages, access-checked and access-recorded."""
