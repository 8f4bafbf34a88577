from django.urls import path

from fulfil.delivery import views

# The "delivery" namespace is completed by fulfil.pages.urls.delivery (the therapist's week,
# booking, moving a session and the setting's therapy page, which also read the ledger or planner).
urlpatterns = [
    path("visits/settings/<int:setting_pk>/record/", views.visit_record, name="visit-record"),
    path("visits/settings/<int:setting_pk>/cancel/", views.visit_cancel, name="visit-cancel"),
    path("visits/<uuid:public_id>/", views.visit_detail, name="visit-detail"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/correct/", views.session_correct, name="session-correct"),
    path("sessions/<int:pk>/recorded-in-error/", views.session_mark_in_error, name="session-in-error"),
    path("programmes/new/<uuid:public_id>/", views.programme_create, name="programme-create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("service/", views.service_activity, name="service"),
]
