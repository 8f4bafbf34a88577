from django.urls import path
app_name = 'children'
urlpatterns: list = []
