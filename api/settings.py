"""Service settings from ``POSTGUARD_*`` environment variables (and ``postguard serve`` flags)."""

from __future__ import annotations

import functools
import hashlib
import hmac
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from postguard.decisions import default_data_dir

_HASH_PREFIX = "sha256:"


def hash_key(key: str) -> str:
    """The form an API key is kept in: ``sha256:<hex>``; a key file may hold these instead of keys."""
    return _HASH_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _split(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Everything the service can be told; safe defaults throughout."""

    model_config = SettingsConfigDict(env_prefix="POSTGUARD_", extra="ignore", frozen=True)

    host: str = Field(default="127.0.0.1", description="Interface to bind; loopback only by default.")
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    policy: str = Field(default="default", description="Policy used when a request names none.")
    log_level: str = "info"

    #: API keys, comma-separated (kept as ``sha256:`` digests). When any key or a key file is
    #: configured, /v1 needs one.
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, repr=False)
    #: A file with one key (or ``sha256:<hex>`` of a key) per line; ``#`` starts a comment.
    api_keys_file: Path | None = None
    #: With API keys configured, ``/metrics`` needs one of them too; true serves it to anyone who
    #: can reach the port (for a scraper on a private network).
    metrics_public: bool = False
    #: Origins allowed to call the API from a browser, e.g. ``chrome-extension://<id>``. Empty: CORS off.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    max_body_bytes: int = Field(default=256 * 1024, ge=1)
    max_text_length: int = Field(default=50_000, ge=1, description="Characters per text.")
    max_batch_items: int = Field(default=100, ge=1)
    #: Requests per minute per API key (per client address without keys); 0 switches it off.
    rate_limit_per_minute: int = Field(default=3000, ge=0)
    #: How many requests a client may send at once above the steady rate.
    rate_limit_burst: int = Field(default=200, ge=1)
    #: Share the rate limit between workers and hosts (needs ``pip install postguard[redis]``).
    redis_url: str | None = Field(default=None, repr=False)
    #: A check still running after this is stopped: its check process is killed and replaced.
    request_timeout_s: float = Field(default=10.0, gt=0)
    #: Processes per worker that run the checks, so a slow check never blocks the event loop
    #: (``/healthz`` and other requests) and can be stopped; 0 runs checks on a thread instead.
    check_processes: int = Field(default=2, ge=0, le=16)

    #: Where the service keeps its files: the decision log's SQLite database by default.
    data_dir: Path = Field(default_factory=default_data_dir)
    #: The decision log's database (``sqlite:///...`` or ``postgresql://...``); default SQLite in data_dir.
    database_url: str | None = Field(default=None, repr=False)
    #: Keep the decision log (outcomes and rule ids, never text); ``false`` switches it off.
    decisions: bool = True
    decisions_retention_days: int = Field(default=180, ge=1)
    #: Keys with the admin scope, comma-separated: only they see /stats and /v1/stats once keys are set.
    admin_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, repr=False)

    #: A request's headers must arrive within this of its first byte (or of the connection).
    header_timeout_s: float = Field(default=10.0, gt=0)
    #: A request's body must arrive within this of its headers.
    body_timeout_s: float = Field(default=10.0, gt=0)
    #: Requests per worker that may still be arriving a second after they began; more get 408.
    max_slow_connections: int = Field(default=64, ge=1)

    #: Micro-batching: how long to wait for more concurrent requests, and the most texts per batch.
    batch_window_ms: float = Field(default=2.0, ge=0)
    batch_max_texts: int = Field(default=32, ge=1)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split(value)

    @field_validator("api_keys", "admin_keys", mode="before")
    @classmethod
    def _hash_keys(cls, value: object) -> object:
        """Keep only digests: a key given in the environment is hashed as soon as it is read."""
        value = _split(value)
        if isinstance(value, list):
            return [v if isinstance(v, str) and v.startswith(_HASH_PREFIX) else hash_key(str(v)) for v in value]
        return value

    @functools.cached_property
    def key_hashes(self) -> tuple[bytes, ...]:
        """Digests of every configured key; the keys themselves are not kept after this."""
        entries = list(self.api_keys) + list(self.admin_keys)
        if self.api_keys_file is not None:
            for line in self.api_keys_file.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    entries.append(line)
        digests = []
        for entry in entries:
            if not entry.startswith(_HASH_PREFIX):
                entry = hash_key(entry)
            digests.append(bytes.fromhex(entry[len(_HASH_PREFIX) :]))
        return tuple(digests)

    @functools.cached_property
    def admin_ids(self) -> frozenset[str]:
        """Key ids (as ``key_id`` gives them) of the admin keys."""
        return frozenset(bytes.fromhex(h[len(_HASH_PREFIX) :]).hex()[:12] for h in self.admin_keys)

    @property
    def decision_log_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'postguard.db'}"

    @property
    def auth_enabled(self) -> bool:
        return bool(self.key_hashes)

    def key_id(self, key: str) -> str | None:
        """A short, non-secret id of ``key`` if it is one of ours (compared in constant time)."""
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
        found = False
        for known in self.key_hashes:  # no early exit: timing does not tell which key matched
            found |= hmac.compare_digest(digest, known)
        return digest.hex()[:12] if found else None


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once (tests override this dependency)."""
    return Settings()
