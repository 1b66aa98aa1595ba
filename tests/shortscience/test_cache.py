"""The Redis cache backend keeps one client per connection pool."""

import socket

import pytest

from shortscience.cache import RedisCache

REDIS = ("127.0.0.1", 6379)


def _redis_is_there() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(REDIS) == 0


def test_every_operation_gets_the_same_client():
    # Making a client opens no connection, so this needs no Redis.
    cache = RedisCache("redis://127.0.0.1:6379/9", {})

    first = cache._cache.get_client("a")

    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first


@pytest.mark.skipif(not _redis_is_there(), reason="no Redis at 127.0.0.1:6379")
def test_it_stores_and_reads_like_djangos():
    cache = RedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": "test-cache"})
    cache.set("page", {"html": "<p>x</p>"}, 30)

    assert cache.get("page") == {"html": "<p>x</p>"}
    assert cache.get_many(["page", "absent"]) == {"page": {"html": "<p>x</p>"}}
    cache.delete("page:n")
    assert cache.add("page:n", 1)
    assert cache.incr("page:n") == 2
    cache.delete_many(["page", "page:n"])
    assert cache.get("page") is None
