from django.urls import path

from stats import record_views, views

app_name = "stats"
urlpatterns = [
    path("statistics/", views.page, name="page"),
    path("statistics/table.csv", views.download, {"fmt": "csv"}, name="csv"),
    path("statistics/table.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
    path("statistics/response/", record_views.page, name="record"),
]
