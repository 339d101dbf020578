from django.urls import path

from layers import views

app_name = "layers"
urlpatterns = [
    path("projects/", views.project_index, name="project-index"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("layers/<slug:layer>/", views.item_list, name="list"),
    path("layers/<slug:layer>/<int:pk>/", views.item_detail, name="item"),
]
