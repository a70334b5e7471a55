from django.urls import path

from . import views

urlpatterns = [
    path("messages/", views.conversation_list, name="conversations"),
    path("messages/new/", views.conversation_start, name="conversation_start"),
    path("messages/<int:pk>/", views.conversation_detail, name="conversation"),
    path(
        "messages/<int:pk>/leave/", views.conversation_leave, name="conversation_leave"
    ),
    path("messages/report/<int:pk>/", views.message_report, name="message_report"),
    path("messages/reports/", views.report_list, name="message_reports"),
    path("people/<int:pk>/block/", views.member_block, name="member_block"),
]
