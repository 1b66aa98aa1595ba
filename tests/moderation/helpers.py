"""Helpers the moderation tests share: a client signed in as someone, what a page
said (its text, messages and templates), an item's open case, the log's rows and a
paper's details as PaperForm cleans them."""

import datetime

from django.contrib.messages import get_messages
from django.test import Client

from moderation import services as moderation
from moderation.models import Case, ModerationLog
from papers.forms import PaperForm

WEEK = datetime.timedelta(days=7)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def text_of(response) -> str:
    return response.content.decode()


def templates_of(response) -> list[str]:
    return [template.name for template in response.templates]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_case(item) -> Case:
    return moderation.open_case(item)


def log_rows() -> list[tuple]:
    return list(
        ModerationLog.objects.order_by("pk").values_list(
            "moderator__username", "action", "target_kind", "target_id", "target_label", "reason"
        )
    )


def paper_data(paper, **changes) -> dict:
    """The paper's details as PaperForm cleans them, with ``changes`` to the raw fields."""
    fields = {
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": "\n".join(a.name for a in paper.authors.order_by("authorships__position")),
        "year": paper.year,
        "tags": ", ".join(sorted(tag.name for tag in paper.tags.all())),
        "arxiv_id": paper.arxiv_id,
        **changes,
    }
    form = PaperForm(fields, instance=paper)
    assert form.is_valid(), form.errors
    return form.cleaned_data
