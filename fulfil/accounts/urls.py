from django.urls import path

from fulfil.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sign-in/authenticator/", views.mfa_setup, name="mfa-setup"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
]
