from django.urls import path

from subscriptions import api

app_name = "subscriptions-api"
urlpatterns = [
    path("subscriptions/", api.SubscriptionList.as_view(), name="list"),
    path("subscriptions/topics/", api.topics, name="topics"),
    path("subscriptions/preview/", api.preview_view, name="preview"),
    path("subscriptions/<int:pk>/", api.SubscriptionDetail.as_view(), name="detail"),
]
