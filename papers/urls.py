from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    # /papers/
    path("papers/", views.paper_list, name="list"),
    path("papers/new/", views.add_paper, name="add"),
    path("papers/import/", views.import_paper, name="import"),
    path("papers/import/bibtex/", views.import_bibtex_confirm, name="import_bibtex"),
    path("papers/<int:pk>/", views.paper_redirect, name="redirect"),
    path("papers/<int:pk>.bib", views.paper_bibtex, name="bibtex"),
    # POST only; before the paper page (summaries.paper_urls), whose slug would match.
    path("papers/<int:pk>/follow/", views.follow, name="follow"),
    path("papers/<int:pk>/unfollow/", views.unfollow, name="unfollow"),
    # papers/<pk>/<slug>/, the paper page, is in summaries.paper_urls.
    # /authors/
    path("authors/<int:pk>/<str:slug>/", views.author_detail, name="author"),
    # /venues/
    path("venues/", views.venue_list, name="venues"),
    path("venues/<slug:slug>/", views.venue_detail, name="venue"),
    path("venues/<slug:slug>/<int:year>/", views.venue_year, name="venue_year"),
    path("venues/<slug:slug>/<int:year>.bib", views.venue_year_bibtex, name="venue_year_bibtex"),
    # /years/
    path("years/", views.year_list, name="years"),
    path("years/<int:year>/", views.year_detail, name="year"),
    # /tags/
    path("tags/", views.tag_list, name="tags"),
    path("tags/<str:name>/", views.tag_detail, name="tag"),
    # Resolvers: /arxiv/<id>, /doi/<doi>, /bibtex/<key>
    path("arxiv/<path:arxiv_id>", views.by_arxiv, name="by_arxiv"),
    path("doi/<path:doi>", views.by_doi, name="by_doi"),
    path("bibtex/<path:key>", views.by_bibtex_key, name="by_bibtex_key"),
    # Addresses from ShortScience.org
    path("user", views.legacy_user, name="legacy_user"),
    path("venue", views.legacy_venue, name="legacy_venue"),
    path("random", views.random_paper, name="random"),
]
