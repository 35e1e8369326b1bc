"""Login throttling: a few failures per account and per address, then a wait.

Counts live in the rate-limit storage (``RATELIMIT_STORAGE_URI``: memory in
development, Redis when several processes serve), never in a process.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerSecond, storage, strategies


@dataclass(frozen=True)
class ThrottleState:
    blocked: bool
    wait_seconds: int = 0

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))


class LoginThrottle:
    def __init__(self, storage_uri: str, *, max_failures: int, window_seconds: int) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
        self._item = RateLimitItemPerSecond(max_failures, window_seconds)

    def _keys(self, account: str, address: str) -> list[tuple[str, str]]:
        return [("account", account.strip().lower()), ("address", address or "unknown")]

    def check(self, account: str, address: str) -> ThrottleState:
        wait = 0
        for key in self._keys(account, address):
            if not self._limiter.test(self._item, "login", *key):
                stats = self._limiter.get_window_stats(self._item, "login", *key)
                wait = max(wait, int(stats.reset_time - time.time()) + 1)
        return ThrottleState(blocked=wait > 0, wait_seconds=wait)

    def failed(self, account: str, address: str) -> None:
        for key in self._keys(account, address):
            self._limiter.hit(self._item, "login", *key)

    def succeeded(self, account: str) -> None:
        self._limiter.clear(self._item, "login", "account", account.strip().lower())

    def reset(self) -> None:
        self._limiter.storage.reset()
