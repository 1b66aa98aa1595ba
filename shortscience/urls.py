from django.contrib import admin
from django.urls import include, path

from shortscience import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    # /accounts/: sign-up, sign-in, e-mail and password (django-allauth)
    path("accounts/", include("allauth.urls")),
    # /users/: profiles
    path("users/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
