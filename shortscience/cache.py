"""Django's Redis cache backend, with one Redis client per connection pool.

Django's client builds a new ``redis.Redis`` for every cache operation. Building one (it
registers some 170 response callbacks) took about 0.4 ms in a profile of a member's page,
which made five: more than the GETs they were built for. The clients share the pools'
connections and are safe across threads.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        # Pools live as long as the process, so their ids name them.
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
