"""Helpers the moderation tests share: a client signed in as someone, what a page
said (its text, messages and templates), an item's open case."""

import datetime

from django.contrib.messages import get_messages
from django.test import Client

from moderation import services as moderation
from moderation.models import Case

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
