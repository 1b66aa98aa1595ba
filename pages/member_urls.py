from django.urls import path

from . import members

app_name = "members"

# Under /users/, after accounts.urls (notifications, editing one's profile).
urlpatterns = [
    path("", members.user_list, name="list"),
    path("<str:username>/", members.profile, name="profile"),
    path("<str:username>/papers.bib", members.summarized_papers_bibtex, name="papers_bibtex"),
    path("<str:username>/export.json", members.export_data, name="export"),
    path("<str:username>/delete/", members.delete_account, name="delete_account"),
]
