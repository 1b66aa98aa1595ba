"""Helpers the search page's tests share: a search, what it listed, its HTML and the
addresses of its result tabs."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

SEARCH = reverse("search")


def search(client, **params):
    return client.get(SEARCH, params)


def listed(response):
    return list(response.context["page"].object_list)


def html_of(response):
    return response.content.decode()


def tab_links(response):
    """The result tabs' addresses, by tab, as parsed query strings."""
    nav = re.search(r'<nav class="tabs" aria-label="Results">(.*?)</nav>', html_of(response), re.S)
    hrefs = re.findall(r'href="([^"]*)"', nav.group(1))
    links = [parse_qs(urlsplit(unescape(href)).query) for href in hrefs]
    return {link["in"][0]: link for link in links}
