from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # /users/
    path("", views.user_list, name="list"),
    # /users/notifications/: before <username>/, and "notifications" is a reserved username
    # (ACCOUNT_USERNAME_BLACKLIST), so no member's profile hides behind it.
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_notifications_read, name="mark_notifications_read"),
    # /users/<username>/
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/edit/", views.edit_profile, name="edit_profile"),
    path("<str:username>/papers.bib", views.summarized_papers_bibtex, name="papers_bibtex"),
    path("<str:username>/export.json", views.export_data, name="export"),
    path("<str:username>/delete/", views.delete_account, name="delete_account"),
]
