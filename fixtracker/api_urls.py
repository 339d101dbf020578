from django.urls import path

from fixtracker import api

app_name = "fixtracker-api"
urlpatterns = [
    path("reports/", api.submit, name="submit"),
    path("reports/categories/", api.categories, name="categories"),
    path("reports/nearby/", api.nearby, name="nearby"),
    path("reports/<str:reference>/", api.detail, name="detail"),
    path("reports/<str:reference>/support/", api.support, name="support"),
]
