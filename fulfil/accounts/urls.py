from django.urls import path

from fulfil.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sign-in/authenticator/", views.mfa_setup, name="mfa-setup"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
    path("administration/authenticators/", views.authenticators, name="authenticators"),
    path("administration/authenticators/<int:user_id>/enrolment-code/", views.enrolment_code, name="enrolment-code"),
    path("administration/authenticators/<int:user_id>/reset/", views.authenticator_reset_view, name="authenticator-reset"),
    path("emergency-access/review/", views.break_glass_review, name="break-glass-review"),
]
