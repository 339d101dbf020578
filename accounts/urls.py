from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("people/<int:pk>/", views.public_profile, name="public-profile"),
]
