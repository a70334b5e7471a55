from django.urls import path

from . import views

urlpatterns = [
    path("forums/", views.forum_list, name="forum_list"),
    path("forums/threads/", views.thread_list, name="thread_list"),
    path("forums/threads/new/", views.thread_create, name="thread_create"),
    path("forums/threads/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("forums/threads/<int:pk>/reply/", views.thread_reply, name="thread_reply"),
    path("forums/threads/<int:pk>/watch/", views.thread_watch, name="thread_watch"),
    path("forums/threads/<int:pk>/title/", views.thread_retitle, name="thread_retitle"),
    path(
        "forums/threads/<int:pk>/moderate/",
        views.thread_moderate,
        name="thread_moderate",
    ),
    path("forums/posts/<int:pk>/", views.post_goto, name="post_goto"),
    path("forums/posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("forums/posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("forums/posts/<int:pk>/answer/", views.post_answer, name="post_answer"),
    path("forums/posts/<int:pk>/flag/", views.post_flag, name="post_flag"),
    path("forums/posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("forums/posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("forums/review/", views.review_queue, name="review_queue"),
    path("forums/review/<int:pk>/", views.review_resolve, name="review_resolve"),
    path("forums/<slug:slug>/", views.forum_detail, name="forum_detail"),
    path("forums/<slug:slug>/watch/", views.forum_watch, name="forum_watch"),
    path("notifications/", views.notification_list, name="notifications"),
    path(
        "notifications/read/",
        views.notifications_mark_read,
        name="notifications_mark_read",
    ),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path(
        "notifications/settings/",
        views.notification_settings,
        name="notification_settings",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notification_unsubscribe,
        name="notification_unsubscribe",
    ),
    path(
        "notifications/unsubscribe/<str:token>/one-click/",
        views.notification_unsubscribe_one_click,
        name="notification_unsubscribe_one_click",
    ),
]
