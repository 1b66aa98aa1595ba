from django.urls import path

from .views import comments, summary, votes

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
    path("<int:pk>/vote/", votes.vote, name="vote"),
    path("comments/<int:pk>/vote/", votes.comment_vote, name="comment_vote"),
    # Comments: /summaries/<pk>/comments/, /summaries/comments/<pk>/... (views/comments.py)
    path("<int:pk>/comments/", comments.post, name="comment"),
    path("comments/<int:pk>/", comments.permalink, name="comment_permalink"),
    path("comments/<int:pk>/edit/", comments.edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", comments.delete, name="comment_delete"),
    # /summaries/new/<paper pk>/
    path("new/<int:paper_pk>/", summary.write, name="write"),
]
