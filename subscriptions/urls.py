from django.urls import path

from subscriptions import feeds, pages, profile, views

app_name = "subscriptions"
urlpatterns = [
    path("subscribe/", pages.subscribe, name="subscribe"),
    path("subscriptions/follow/", pages.follow, name="follow"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscriptions/manage/<str:token>/", views.manage, name="manage"),
    path("feeds/subscriptions/<str:token>.atom", feeds.SubscriptionFeed(), name="feed"),
    path("profile/subscriptions/<int:pk>/", profile.subscription_action, name="profile-action"),
    path("profile/notifications/read/", profile.mark_read, name="notifications-read"),
    path("feeds/area.atom", feeds.AreaFeed(), name="area-feed"),
]
