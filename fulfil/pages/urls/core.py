from django.urls import path

from fulfil.core.urls import urlpatterns as core_patterns
from fulfil.pages.views import home

# The "core" namespace: the home page (it composes the register and plans) and core's own
# health check.
app_name = "core"
urlpatterns = [
    path("", home.home, name="home"),
    *core_patterns,
]
