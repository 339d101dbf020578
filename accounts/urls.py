from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/download/", views.download, name="download-my-data"),
    path("profile/delete/", views.delete_account, name="delete-account"),
    path("people/<int:pk>/", views.public_profile, name="public-profile"),
]
