from django.urls import path

from fulfil.plans import views

app_name = "plans"
urlpatterns = [
    path("check-wording/", views.wording_check_page, name="wording-check"),
    path("check-wording/feedback/", views.wording_feedback, name="wording-feedback"),
    path("quality/", views.plan_quality_report, name="quality"),
    path("import/", views.provision_import, name="import"),
    path("children/<uuid:public_id>/add-line/", views.provision_line_add, name="line-add"),
    path("advice/", views.advice_due, name="advice-due"),
    path("advice/<int:pk>/", views.advice_detail, name="advice-detail"),
    path("advice/<int:pk>/exception/", views.advice_exception_add, name="advice-exception"),
    path("timeliness/", views.timeliness_report, name="timeliness"),
    path("sen2/", views.sen2_report, name="sen2"),
    path("children/<uuid:public_id>/assessments/new/", views.assessment_new, name="assessment-new"),
    path("assessments/<int:pk>/", views.assessment_steps, name="assessment"),
    path("assessments/<int:pk>/advice/new/", views.advice_request_new, name="advice-request-new"),
    path("children/<uuid:public_id>/reviews/new/", views.review_new, name="review-new"),
    path("reviews/<int:pk>/", views.review_steps, name="review"),
]
