from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderation/flag/", views.flag, name="flag"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/act/", views.act, name="act"),
    path("moderation/audit/", views.audit_log, name="audit"),
]
