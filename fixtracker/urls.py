from django.urls import path

from fixtracker import staff, views

app_name = "fixtracker"
urlpatterns = [
    path("report/", views.report_page, name="report-form"),
    path("reports/confirm/<str:token>/", views.confirm, name="confirm"),
    path("reports/support/confirm/<str:token>/", views.confirm_support, name="confirm-support"),
    path("reports/<str:reference>/", views.report_detail, name="report"),
    path("reports/<str:reference>/reporter/", views.reporter_action, name="reporter-action"),
    path("reports/<str:reference>/support/", views.support_form, name="support"),
    path("staff/", staff.queue, name="staff-queue"),
    path("staff/reports/<str:reference>/", staff.report, name="staff-report"),
    path("staff/reports/<str:reference>/action/", staff.action, name="staff-action"),
    path("staff/photos/<int:pk>/original/", staff.original_photo, name="original-photo"),
]
