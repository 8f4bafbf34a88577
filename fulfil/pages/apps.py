from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Pages that compose several domains (the child record, a setting, a caseload, the home
    overview, the subject access export): the top layer, which every domain app sits below
    (docs/adr/0021-pages-on-top-domains-below.md). It has no models."""

    name = "fulfil.pages"
    label = "pages"
