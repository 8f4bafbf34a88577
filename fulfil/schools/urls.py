from django.urls import path
app_name = 'schools'
urlpatterns: list = []
