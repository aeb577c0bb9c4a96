"""DecisionLog: record decisions and read their stats, on SQLite or PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, event, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from postguard.decisions.record import Decision
from postguard.decisions.stats import Filters, Stats, aggregate
from postguard.decisions.tables import decision_rules, decisions, meta

_MIGRATIONS = Path(__file__).parent / "migrations"
_DAY = 86_400


def _migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (Alembic, run at every start)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    # Processes starting at once may both find an empty database: the loser's DDL fails (or waits
    # out SQLite's lock), and a later pass sees the winner's revision and does nothing.
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
            return
        except (OperationalError, ProgrammingError, IntegrityError):
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def _sqlite_pragmas(dbapi_connection, record) -> None:  # noqa: ANN001
    cursor = dbapi_connection.cursor()
    # WAL: readers (the stats page) never wait for a writer; several workers may write.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class DecisionLog:
    """The decision log in one database; ``url`` is any SQLAlchemy URL (``sqlite:///...``, ``postgresql://...``)."""

    def __init__(self, url: str, *, retention_days: int = 180) -> None:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]  # psycopg 3, not psycopg2
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.retention_days = retention_days
        self.engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _migrate(self.engine)
        self.secret = self._secret()
        self._purged_at = 0.0
        self.purge()

    @classmethod
    def sqlite(cls, path: str | Path, **kwargs: int) -> DecisionLog:
        """A log in the SQLite file at ``path`` (made if missing)."""
        return cls(f"sqlite:///{Path(path)}", **kwargs)

    def _secret(self) -> bytes:
        """The log's own key for pseudonymous user keys and check ids, made once per database."""
        with self.engine.begin() as conn:
            row = conn.execute(select(meta.c.value).where(meta.c.name == "secret")).first()
        if row is None:
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(meta).values(name="secret", value=secrets.token_hex(32)))
            except IntegrityError:  # another worker made it first
                pass
            with self.engine.begin() as conn:
                row = conn.execute(select(meta.c.value).where(meta.c.name == "secret")).first()
        return bytes.fromhex(row[0])

    def user_key(self, identity: str) -> str:
        """A pseudonymous key for ``identity`` (an API key's id, an install id): a keyed hash, not reversible."""
        return hmac.new(self.secret, identity.encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    def record(self, decision: Decision) -> bool:
        """Keep one decision; False when its check already has one (a retried send)."""
        return self.record_many([decision]) == 1

    def record_many(self, batch: Iterable[Decision]) -> int:
        """Keep several decisions; returns how many were new (a check keeps its first decision)."""
        fresh: dict[str, Decision] = {}
        for d in batch:
            fresh.setdefault(d.check_id, d)
        if not fresh:
            return 0
        with self.engine.begin() as conn:
            ids = list(fresh)
            for i in range(0, len(ids), 500):  # bound the IN list (PostgreSQL and SQLite limits)
                chunk = ids[i : i + 500]
                for (known,) in conn.execute(select(decisions.c.check_id).where(decisions.c.check_id.in_(chunk))):
                    fresh.pop(known, None)
            if not fresh:
                return 0
            # Two bulk inserts: one row per insert and a savepoint each cost 0.9 ms a decision on SQLite.
            try:
                self._insert(conn, fresh.values())
                new = len(fresh)
            except IntegrityError:  # another worker recorded one of these meanwhile: one at a time
                new = -1
        if new < 0:
            new = 0
            for d in fresh.values():
                try:
                    with self.engine.begin() as conn:
                        self._insert(conn, [d])
                    new += 1
                except IntegrityError:
                    continue
        if time.monotonic() - self._purged_at > 3600:
            self.purge()
        return new

    @staticmethod
    def _insert(conn, batch: Iterable[Decision]) -> None:  # noqa: ANN001
        rows, rule_rows = [], []
        for d in batch:
            rows.append({
                "check_id": d.check_id, "at": d.at, "outcome": d.outcome, "platform": d.platform,
                "policy": d.policy, "verdict": d.verdict, "reason": d.reason, "user_key": d.user_key,
            })
            rule_rows.extend(
                {"check_id": d.check_id, "rule_id": r.rule_id, "category": r.category, "severity": r.severity,
                 "acted": r.acted}
                for r in d.rules
            )
        conn.execute(insert(decisions), rows)
        if rule_rows:
            conn.execute(insert(decision_rules), rule_rows)

    def purge(self, now: float | None = None) -> int:
        """Drop decisions older than the retention; returns how many went."""
        self._purged_at = time.monotonic()
        cutoff = int((now if now is not None else time.time()) - self.retention_days * _DAY)
        with self.engine.begin() as conn:
            old = select(decisions.c.check_id).where(decisions.c.at < cutoff)
            conn.execute(delete(decision_rules).where(decision_rules.c.check_id.in_(old)))
            return conn.execute(delete(decisions).where(decisions.c.at < cutoff)).rowcount or 0

    def stats(
        self,
        since: int | None = None,
        until: int | None = None,
        platform: str | None = None,
        policy: str | None = None,
        top_reasons: int = 10,
    ) -> Stats:
        """Outcomes and nudge rates over the decisions in ``[since, until)`` (unix seconds)."""
        filters = Filters(since=since, until=until, platform=platform, policy=policy)
        with self.engine.connect() as conn:
            return aggregate(conn, filters, top_reasons)

    def close(self) -> None:
        self.engine.dispose()
