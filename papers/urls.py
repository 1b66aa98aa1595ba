from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    # /papers/
    path("papers/", views.paper_list, name="list"),
    path("papers/new/", views.add_paper, name="add"),
    path("papers/<int:pk>/", views.paper_redirect, name="redirect"),
    path("papers/<int:pk>/<str:slug>/", views.paper_detail, name="detail"),
    # /authors/, /venues/, /tags/
    path("authors/<int:pk>/<str:slug>/", views.author_detail, name="author"),
    path("venues/<slug:slug>/<int:year>/", views.venue_year, name="venue_year"),
    path("tags/<str:name>/", views.tag_detail, name="tag"),
    # Resolvers: /arxiv/<id>, /doi/<doi>, /bibtex/<key>
    path("arxiv/<path:arxiv_id>", views.by_arxiv, name="by_arxiv"),
    path("doi/<path:doi>", views.by_doi, name="by_doi"),
    path("bibtex/<path:key>", views.by_bibtex_key, name="by_bibtex_key"),
    # Addresses from ShortScience.org
    path("paper", views.legacy_paper, name="legacy_paper"),
    path("user", views.legacy_user, name="legacy_user"),
    path("venue", views.legacy_venue, name="legacy_venue"),
    path("random", views.random_paper, name="random"),
]
