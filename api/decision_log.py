"""The service's decision log: signed check ids and where decisions are kept.

A check id carries what the decision needs from its check (platform, policy, verdict and the
findings' rule ids, categories and severities; never text), signed with the log's secret, so a
decision needs no lookup and a check costs no database write.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time

from postguard.decisions import Decision, DecisionLog
from postguard.report import Report

from postguard.api.errors import ApiError
from postguard.api.settings import Settings

log = logging.getLogger("postguard.api")

#: How long after its check a decision is taken (a draft left open over a weekend still counts).
MAX_AGE_S = 14 * 86_400


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CheckIds:
    """Issue and read check ids: ``<payload>.<signature>``, base64url."""

    def __init__(self, secret: bytes) -> None:
        self._key = hmac.new(secret, b"postguard check id", hashlib.sha256).digest()

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest()[:16])

    def issue(self, report: Report) -> str:
        rules: dict[str, list[str]] = {}
        for f in report.findings:
            rules.setdefault(f.rule_id, [f.rule_id, f.category, f.severity.value])
        body = {
            "i": secrets.token_hex(8), "t": int(time.time()), "p": report.platform, "o": report.policy,
            "v": report.verdict, "f": list(rules.values()),
        }
        payload = _b64(json.dumps(body, separators=(",", ":")).encode("utf-8"))
        return f"{payload}.{self._sign(payload)}"

    def read(self, check_id: str, outcome: str, **fields: object) -> Decision:
        """The decision ``check_id`` stands for (404 unknown_check_id when it is not ours or too old)."""
        payload, _, sig = check_id.partition(".")
        try:
            good = hmac.compare_digest(self._sign(payload), sig)
        except (TypeError, UnicodeEncodeError):
            good = False
        # 404, not 422: any string is a well-formed id by the spec, so one we did not sign (or no
        # longer honour) names a check this service does not know, as an unknown path id would.
        if not good:
            raise ApiError(404, "unknown_check_id", "check_id is not one this service issued")
        body = json.loads(_unb64(payload))
        if time.time() - body["t"] > MAX_AGE_S:
            raise ApiError(404, "unknown_check_id", f"check_id is older than {MAX_AGE_S // 86_400} days")
        return Decision.from_findings(
            [tuple(r) for r in body["f"]], check_id=body["i"], outcome=outcome,  # type: ignore[arg-type]
            platform=body["p"], policy=body["o"], verdict=body["v"], **fields,
        )


def open_log(settings: Settings) -> DecisionLog | None:
    """The decision log, migrated; None when it is switched off or cannot be opened (checks go on)."""
    if not settings.decisions:
        return None
    try:
        return DecisionLog(settings.decision_log_url, retention_days=settings.decisions_retention_days)
    except Exception as exc:  # noqa: BLE001 - a database that is down must not stop the checks
        log.error("decision log unavailable: %s", type(exc).__name__)
        return None
