"""Per-client rate limits: a token bucket in memory (one worker), or a shared window in Redis."""

from __future__ import annotations

import logging
import math
import time
from typing import Protocol

from postguard.api.settings import Settings

log = logging.getLogger("postguard.api")


class Limiter(Protocol):
    async def hit(self, client: str) -> float | None:
        """Take one request from ``client``'s allowance; seconds to wait when none is left."""


class MemoryLimiter:
    """Token bucket per client: ``burst`` at once, refilled at ``per_minute`` a minute."""

    def __init__(self, per_minute: int, burst: int, max_clients: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}

    async def hit(self, client: str) -> float | None:
        now = time.monotonic()
        tokens, last = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._set(client, tokens - 1.0, now)
            return None
        self._set(client, tokens, now)
        return (1.0 - tokens) / self.rate

    def _set(self, client: str, tokens: float, now: float) -> None:
        if client not in self._buckets and len(self._buckets) >= self.max_clients:
            # Forget full buckets first: a refilled bucket is the same as no bucket.
            full = [k for k, (t, ts) in self._buckets.items() if t + (now - ts) * self.rate >= self.burst]
            for k in full or list(self._buckets)[: self.max_clients // 10]:
                del self._buckets[k]
        self._buckets[client] = (tokens, now)


class RedisLimiter:
    """Fixed one-minute windows counted in Redis, shared by every worker and host using it."""

    def __init__(self, url: str, per_minute: int, burst: int) -> None:
        try:
            import redis.asyncio as redis
        except ImportError:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "POSTGUARD_REDIS_URL is set but the redis client is not installed: pip install 'postguard[redis]'"
            ) from None
        self.client = redis.from_url(url)
        self.limit = per_minute

    async def hit(self, client: str) -> float | None:
        now = time.time()
        window = int(now // 60)
        key = f"postguard:ratelimit:{client}:{window}"
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, 120)
                count, _ = await pipe.execute()
        except Exception as exc:  # Redis down: keep checking posts rather than refuse everyone
            log.warning("rate limit not applied: redis error %s", type(exc).__name__)
            return None
        if int(count) <= self.limit:
            return None
        return (window + 1) * 60 - now


def create_limiter(settings: Settings) -> Limiter | None:
    if settings.rate_limit_per_minute == 0:
        return None
    if settings.redis_url:
        return RedisLimiter(settings.redis_url, settings.rate_limit_per_minute, settings.rate_limit_burst)
    return MemoryLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
