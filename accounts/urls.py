from django.urls import path

from . import views

app_name = "accounts"

# Under /users/, before the member pages (pages.member_urls): "notifications" is a
# reserved username (ACCOUNT_USERNAME_BLACKLIST), so no member's profile hides behind it.
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_notifications_read, name="mark_notifications_read"),
    path("<str:username>/edit/", views.edit_profile, name="edit_profile"),
]
