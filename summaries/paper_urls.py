from django.urls import path

from .views import paper

app_name = "paper"

# At the site's root, beside papers.urls (whose papers/<pk>/follow/ comes first).
urlpatterns = [
    path("papers/<int:pk>/<str:slug>/", paper.paper_detail, name="detail"),
    # ShortScience.org's /paper?bibtexKey=…
    path("paper", paper.legacy_paper, name="legacy"),
]
