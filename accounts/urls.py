from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # /users/
    path("", views.user_list, name="list"),
    # /users/<username>/
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/edit/", views.edit_profile, name="edit_profile"),
]
