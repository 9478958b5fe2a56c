"""The access-token cache: one token, refreshed early, fetched by one caller at a time.

Lifetime is computed the way REFERENCE.md §1 recommends — ``expired_at - now`` from the answer
itself, added to the *local monotonic* clock read just before the request left — so a PC whose
wall clock is wrong still refreshes in time.

The refresh margin is 60 s. That matches i'mport's reuse rule: getToken before expiry returns the
same token with the same expiry, except in the last minute, when it extends the expiry by 5 minutes.
If the server hands back a token that is still inside the margin (clock drift, latency), the token
is used as is and asked for again at most every ``retry_gap_s`` seconds rather than on every call.

Concurrency: callers that find no usable token queue on one ``asyncio.Lock``; the first fetches,
the rest find the fresh token when they get the lock — or, if that fetch failed, get its error
without trying again themselves (a later call, arriving after the failure, tries afresh).
``refresh(stale=...)`` is the 401 path: it only fetches if the cached token is still the one that
was refused, so fifty requests that all got a 401 with the same old token cause one getToken
between them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from kpadmin.iamport.models import AccessToken

DEFAULT_MARGIN_S = 60.0
DEFAULT_RETRY_GAP_S = 5.0


@dataclass(frozen=True)
class _Cached:
    token: str
    refresh_after: float  # local monotonic time from which a new token is fetched
    expires_at: float  # local monotonic estimate of expiry


class TokenCache:
    """Caches the access token of one client. Not thread-safe: one event loop only."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[AccessToken]],
        *,
        clock: Callable[[], float] = time.monotonic,
        margin_s: float = DEFAULT_MARGIN_S,
        retry_gap_s: float = DEFAULT_RETRY_GAP_S,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._margin_s = margin_s
        self._retry_gap_s = retry_gap_s
        self._cached: _Cached | None = None
        self._lock = asyncio.Lock()
        #: How many getToken calls this cache has made (for tests and diagnostics).
        self.fetch_count = 0
        # The outcome of the latest fetch, so callers queued behind a failed fetch share its error
        # instead of each trying again (50 callers x a 10 s connect timeout would take minutes).
        self._last_error: BaseException | None = None
        self._finished = 0  # fetches that have ended, either way

    def _usable(self) -> str | None:
        cached = self._cached
        if cached is not None and self._clock() < cached.refresh_after:
            return cached.token
        return None

    @property
    def seconds_left(self) -> float | None:
        """Estimated seconds until the cached token expires (None when there is none)."""
        if self._cached is None:
            return None
        return self._cached.expires_at - self._clock()

    def clear(self) -> None:
        self._cached = None

    async def get(self) -> str:
        """A token that is not within the refresh margin of its expiry; fetches one if needed."""
        token = self._usable()
        if token is not None:
            return token
        seen = self._finished
        async with self._lock:
            token = self._usable()
            if token is not None:
                return token
            self._raise_if_failed_meanwhile(seen)
            return await self._fetch_and_store()

    async def refresh(self, stale: str) -> str:
        """A token other than ``stale`` (refused by the server); one fetch per stale token."""
        seen = self._finished
        async with self._lock:
            cached = self._cached
            if cached is not None and cached.token != stale and self._usable() is not None:
                return cached.token
            self._raise_if_failed_meanwhile(seen)
            return await self._fetch_and_store()

    def _raise_if_failed_meanwhile(self, seen: int) -> None:
        """A fetch ran and failed while this caller waited for the lock: share its answer."""
        if self._finished != seen and self._last_error is not None:
            raise self._last_error

    async def _fetch_and_store(self) -> str:
        started = self._clock()
        self.fetch_count += 1
        self._last_error = None
        try:
            answer = await self._fetch()
        except Exception as exc:
            self._last_error = exc
            raise
        finally:
            self._finished += 1
        lifetime = answer.lifetime_s
        expires_at = started + lifetime
        refresh_after = expires_at - self._margin_s
        now = self._clock()
        if refresh_after <= now:
            # The server did not give us a margin's worth of life: use the token, ask again soon.
            refresh_after = now + max(0.0, min(self._retry_gap_s, (expires_at - now) / 2))
        self._cached = _Cached(answer.access_token, refresh_after, expires_at)
        return answer.access_token
