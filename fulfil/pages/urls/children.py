from django.urls import path

from fulfil.pages.views import children as views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("emergency-access/", views.break_glass, name="break-glass"),
    path("<uuid:public_id>/", views.child_detail, name="detail"),
    path("<uuid:public_id>/access/", views.child_access_history, name="access-history"),
    path("<uuid:public_id>/subject-access.json", views.child_subject_access, {"fmt": "json"}, name="subject-access-json"),
    path("<uuid:public_id>/subject-access.pdf", views.child_subject_access, {"fmt": "pdf"}, name="subject-access-pdf"),
]
