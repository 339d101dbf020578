from django.urls import path

app_name = "layers-api"
urlpatterns: list = []
