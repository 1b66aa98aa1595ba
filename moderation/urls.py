"""/moderation/: flagging, the moderators' queue and tools, the public log."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    # /moderation/
    path("", views.queue, name="queue"),
    path("log/", views.log, name="log"),
    path("cases/<int:pk>/", views.case, name="case"),
    # /moderation/flag/<kind>/<pk>/: kind is summary, comment, paper or user
    path("flag/<str:kind>/<int:pk>/", views.flag, name="flag"),
    # /moderation/<kind>/<pk>/hide/: summaries and comments
    path("<str:kind>/<int:pk>/hide/", views.hide, name="hide"),
    path("<str:kind>/<int:pk>/restore/", views.restore, name="restore"),
    # /moderation/users/<username>/
    path("users/<str:username>/suspend/", views.suspend, name="suspend"),
    path("users/<str:username>/lift/", views.lift, name="lift"),
]
