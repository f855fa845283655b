"""Django's Redis cache, made to survive Redis being down.

Sessions (cached_db) and cached reports go through the cache on nearly every request; with
the stock backend a Redis outage would turn all of them into errors. Here an unreachable
Redis reads as a cache miss and writes are skipped, with a warning logged: pages fall back
to the database and get slower, not broken. Connection and socket timeouts (settings) keep
a hung Redis from holding requests.
"""

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _miss_on_outage(fallback):
    """Wrap a cache method: on a Redis error, log it and return `fallback(args, kwargs)`."""

    def decorate(method):
        @wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as exc:
                logger.warning("cache unavailable, %s skipped: %s: %s", method.__name__, type(exc).__name__, exc)
                return fallback(args, kwargs)

        return call

    return decorate


def _default(args, kwargs):
    # get(key, default=None, version=None)
    return kwargs["default"] if "default" in kwargs else (args[1] if len(args) > 1 else None)


def _nothing(args, kwargs):
    return None


def _false(args, kwargs):
    return False


class TolerantRedisCache(RedisCache):
    get = _miss_on_outage(_default)(RedisCache.get)
    get_many = _miss_on_outage(lambda args, kwargs: {})(RedisCache.get_many)
    has_key = _miss_on_outage(_false)(RedisCache.has_key)
    # A skipped add reports "not added", like a key another process holds.
    add = _miss_on_outage(_false)(RedisCache.add)
    set = _miss_on_outage(_nothing)(RedisCache.set)
    set_many = _miss_on_outage(lambda args, kwargs: [])(RedisCache.set_many)
    touch = _miss_on_outage(_false)(RedisCache.touch)
    # A delete lost in an outage leaves the old entry to expire (sessions: within the session
    # age); refusing logins and logouts while Redis is down would be worse.
    delete = _miss_on_outage(_false)(RedisCache.delete)
    delete_many = _miss_on_outage(_nothing)(RedisCache.delete_many)
    clear = _miss_on_outage(_false)(RedisCache.clear)
