from django.urls import path

from stats import api

urlpatterns = [
    path("stats/", api.Question.as_view(), name="stats-question"),
    path("stats/options/", api.Options.as_view(), name="stats-options"),
    path("stats/trees/", api.Trees.as_view(), name="stats-trees"),
]
