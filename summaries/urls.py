from django.urls import path

from .views import summary

app_name = "summaries"

urlpatterns = [
    # /summaries/
    path("write/", summary.write_start, name="write_start"),
    path("preview/", summary.preview, name="preview"),
    path("figures/", summary.upload_figure, name="upload_figure"),
    # /summaries/<pk>/
    path("<int:pk>/", summary.detail, name="detail"),
    path("<int:pk>/edit/", summary.edit, name="edit"),
    path("<int:pk>/delete/", summary.delete, name="delete"),
    path("<int:pk>/history/", summary.history, name="history"),
    path("<int:pk>/share/", summary.share, name="share"),
    path("<int:pk>/unshare/", summary.unshare, name="unshare"),
    # /summaries/shared/<token>/
    path("shared/<str:token>/", summary.shared, name="shared"),
    # Votes: /summaries/<pk>/vote/, /summaries/comments/<pk>/vote/ (views/votes.py)
    # Comments: /summaries/<pk>/comments/, /summaries/comments/<pk>/... (views/comments.py)
    # /summaries/new/<paper pk>/
    path("new/<int:paper_pk>/", summary.write, name="write"),
]
