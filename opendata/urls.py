from django.urls import path

from opendata import views

app_name = "opendata"
urlpatterns = [
    path("opendata/", views.page, name="page"),
    path("opendata/download/", views.download, name="download"),
]
