from django.urls import path

from forum import views, write

app_name = "forum"
urlpatterns = [
    path("forum/", views.index, name="index"),
    path("forum/new/", write.new_thread, name="new"),
    path("forum/settings/", write.save_settings, name="settings"),
    path("forum/s/<slug:slug>/", views.index, name="section"),
    path("forum/t/<int:pk>/", views.thread_detail, name="thread"),
    path("forum/t/<int:pk>/reply/", write.reply, name="reply"),
    path("forum/t/<int:pk>/state/", write.set_state, name="state"),
    path("forum/t/<int:pk>/follow/", write.follow, name="follow"),
    path("forum/p/<int:pk>/", views.post_link, name="post"),
    path("forum/p/<int:pk>/edit/", write.edit_post, name="edit"),
    path("forum/p/<int:pk>/delete/", write.delete_post, name="delete"),
    path("forum/p/<int:pk>/support/", write.support, name="support"),
    path("forum/p/<int:pk>/official/", write.mark_official, name="official"),
    path("forum/p/<int:pk>/history/", views.history, name="history"),
]
