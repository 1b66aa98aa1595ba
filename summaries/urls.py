from django.urls import path

from . import views

app_name = "summaries"

urlpatterns = [
    # /summaries/
    path("write/", views.write_start, name="write_start"),
    path("preview/", views.preview, name="preview"),
    path("figures/", views.upload_figure, name="upload_figure"),
    # /summaries/<pk>/
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/unshare/", views.unshare, name="unshare"),
    # /summaries/shared/<token>/
    path("shared/<str:token>/", views.shared, name="shared"),
    # /summaries/new/<paper pk>/
    path("new/<int:paper_pk>/", views.write, name="write"),
]
