from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/subscriptions/<int:pk>/", views.subscription_action, name="subscription-action"),
    path("profile/notifications/read/", views.mark_read, name="notifications-read"),
]
