"""Login throttling: a few failures per account, many more per address, then a wait.

Counts live in the rate-limit storage (``RATELIMIT_STORAGE_URI``: memory in
development, Redis when several processes serve), never in a process. An address
is shared by everyone behind it (a town hall, a school, a library's wifi), so it
is blocked only at a much higher count than an account: five failures there
must not lock a whole office out. When the storage does not answer,
``ThrottleUnavailable`` is raised before anything is checked or saved, and the
visitor gets a 503 page in their language (``core.errors_views``).
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItemPerSecond, storage, strategies

# What a store that does not answer raises: redis-py's errors, sockets' and time-outs.
try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a dependency; memory:// needs none

    class RedisError(Exception):
        pass


STORE_ERRORS = (RedisError, ConnectionError, TimeoutError, OSError)


class ThrottleUnavailable(Exception):
    """The shared store of the throttle's counts does not answer."""


@dataclass(frozen=True)
class ThrottleState:
    blocked: bool
    wait_seconds: int = 0

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))


class LoginThrottle:
    def __init__(
        self,
        storage_uri: str,
        *,
        max_failures: int,
        address_max_failures: int,
        window_seconds: int,
    ) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
        self._items = {
            "account": RateLimitItemPerSecond(max_failures, window_seconds),
            "address": RateLimitItemPerSecond(address_max_failures, window_seconds),
        }

    def _keys(self, account: str, address: str) -> list[tuple[str, str]]:
        return [("account", account.strip().lower()), ("address", address or "unknown")]

    def check(self, account: str, address: str) -> ThrottleState:
        wait = 0
        with _store_answers():
            for kind, value in self._keys(account, address):
                item = self._items[kind]
                if not self._limiter.test(item, "login", kind, value):
                    stats = self._limiter.get_window_stats(item, "login", kind, value)
                    wait = max(wait, int(stats.reset_time - time.time()) + 1)
        return ThrottleState(blocked=wait > 0, wait_seconds=wait)

    def failed(self, account: str, address: str) -> None:
        with _store_answers():
            for kind, value in self._keys(account, address):
                self._limiter.hit(self._items[kind], "login", kind, value)

    def succeeded(self, account: str) -> None:
        with _store_answers():
            self._limiter.clear(self._items["account"], "login", "account", account.strip().lower())

    def available(self) -> bool:
        """Whether the store answers (for readiness)."""
        try:
            return bool(self._limiter.storage.check())
        except STORE_ERRORS:
            return False

    def reset(self) -> None:
        self._limiter.storage.reset()


@contextmanager
def _store_answers():
    """Turns a store that does not answer into ``ThrottleUnavailable``."""
    try:
        yield
    except STORE_ERRORS as error:
        raise ThrottleUnavailable(str(error)) from error
