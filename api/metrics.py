"""Prometheus metrics: requests and latency per route, batch sizes, findings per category, verdicts, decisions.

Counts and timings only — never text. Each app has its own registry; with several workers each
worker answers for itself.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

from postguard.decisions.record import OUTCOMES
from postguard.findings import CATEGORIES

disable_created_metrics()  # the *_created series double the output and say nothing useful here

_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "postguard_http_requests", "HTTP requests by route and status.", ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "postguard_http_request_duration_seconds", "Time to answer, by route.", ["route"],
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.findings = Counter(
            "postguard_findings", "Findings reported, by category.", ["category"], registry=self.registry
        )
        self.verdicts = Counter("postguard_verdicts", "Reports by verdict.", ["verdict"], registry=self.registry)
        self.batch_size = Histogram(
            "postguard_check_batch_size", "Texts per micro-batch.", buckets=(1, 2, 4, 8, 16, 32, 64, 128),
            registry=self.registry,
        )
        self.decisions = Counter(
            "postguard_decisions", "Decisions recorded, by outcome (retried sends not counted).", ["outcome"],
            registry=self.registry,
        )
        self.ready = Gauge("postguard_ready", "1 once models and rules are loaded.", registry=self.registry)
        self.start = Gauge(
            "postguard_start_seconds", "Seconds each step of this worker's start took.", ["step"], registry=self.registry
        )
        for c in CATEGORIES:  # every category appears from the start, at 0
            self.findings.labels(c)
        for v in ("pass", "warn", "block"):
            self.verdicts.labels(v)
        for o in OUTCOMES:
            self.decisions.labels(o)
