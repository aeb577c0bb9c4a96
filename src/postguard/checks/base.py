"""The Check protocol and the registry that turns a policy's ``checks:`` into check objects."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from postguard.errors import PolicyError, one_of
from postguard.findings import Finding, Score, Severity

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

Output = Finding | Score


@runtime_checkable
class Check(Protocol):
    """A pluggable stage. Heavy set-up happens in ``__init__``; ``run`` stays cheap and pure."""

    name: ClassVar[str]
    #: True when the check reads ``parsed.doc`` (the shared spaCy parse). It may also say which
    #: spaCy entity labels it reads there, as ``entity_labels`` (``BaseCheck``; optional, so a
    #: check written before it still satisfies the protocol).
    needs_doc: ClassVar[bool]

    def run(self, parsed: "ParsedPost") -> Iterable[Output]: ...

    def run_many(self, parsed: "Sequence[ParsedPost]") -> list[list[Output]]: ...


class BaseCheck:
    """Convenience base: subclasses implement ``run``; ``run_many`` loops unless overridden."""

    name: ClassVar[str] = ""
    needs_doc: ClassVar[bool] = False
    #: The spaCy entity labels the check reads from the Doc (None: any it may; ``entity_labels``).
    entity_labels: "frozenset[str] | None" = None

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        self.config = dict(config)
        self.policy = policy

    def reject_unknown_settings(self, allowed: Iterable[str]) -> None:
        """Refuse a setting this check does not know, listing the ones it does."""
        allowed = list(allowed)
        unknown = sorted(set(self.config) - set(allowed))
        if unknown:
            raise PolicyError(f"checks.{self.name}: unknown setting {one_of(unknown[0], allowed)}")

    def read_severities(
        self, defaults: Mapping[str, Any], normalise: Callable[[str], str] = str
    ) -> dict[str, Severity]:
        """Severity per kind: ``defaults`` with the policy's ``severity:`` overrides applied."""
        out = {k: Severity(v) for k, v in defaults.items()}
        for raw, value in (self.config.get("severity") or {}).items():
            kind = normalise(str(raw))
            if kind not in out:
                raise PolicyError(f"checks.{self.name}.severity: {one_of(kind, list(out))}")
            try:
                out[kind] = Severity(value)
            except ValueError:
                levels = [s.value for s in Severity]
                raise PolicyError(f"checks.{self.name}.severity.{kind}: {one_of(str(value), levels)}") from None
        return out

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:  # pragma: no cover - abstract
        raise NotImplementedError

    def run_many(self, parsed: "Sequence[ParsedPost]") -> list[list[Output]]:
        return [list(self.run(p)) for p in parsed]


def entity_labels(checks: Iterable[Check]) -> frozenset[str] | None:
    """The spaCy entity labels ``checks`` read: None (any) when one that reads the Doc does not say."""
    # A check that reads the Doc only when it must (``needs_doc`` False: the policy check's entity
    # rules) says which labels it reads too, since it gets the Doc parsed for the others.
    out: set[str] = set()
    for c in checks:
        labels = getattr(c, "entity_labels", None)
        if labels is None:
            if c.needs_doc:
                return None
        else:
            out |= labels
    return frozenset(out)


CheckFactory = Callable[[Mapping[str, Any], "Policy"], Check]

# Built-in checks are imported lazily so a policy that switches one off never pays for its models.
_BUILTIN: dict[str, str] = {
    "platform": "postguard.checks.platform:PlatformCheck",
    "pii": "postguard.checks.pii:PiiCheck",
    "secrets": "postguard.checks.secrets:SecretsCheck",
    "profanity": "postguard.checks.profanity:ProfanityCheck",
    "toxicity": "postguard.checks.toxicity:ToxicityCheck",
    "tone": "postguard.checks.tone:ToneCheck",
    "policy": "postguard.checks.policy:PolicyCheck",
}
_REGISTERED: dict[str, CheckFactory] = {}


def register_check(name: str, factory: CheckFactory) -> None:
    """Make a check available to policies under ``checks: {name: ...}``."""
    _REGISTERED[name] = factory


def available_checks() -> list[str]:
    """Names a policy may switch on, built-in ones whose module exists included."""
    names = set(_REGISTERED)
    for name, target in _BUILTIN.items():
        module = target.partition(":")[0]
        if importlib.util.find_spec(module) is not None:
            names.add(name)
    return sorted(names)


def create_check(name: str, config: Mapping[str, Any], policy: "Policy") -> Check:
    """Build the check called ``name`` with its policy configuration."""
    factory = _REGISTERED.get(name)
    if factory is None and name in _BUILTIN:
        module_name, _, attr = _BUILTIN[name].partition(":")
        if importlib.util.find_spec(module_name) is not None:
            factory = getattr(importlib.import_module(module_name), attr)
    if factory is None:
        raise PolicyError(f"policy {policy.name!r}: unknown check {one_of(name, available_checks())}")
    return factory(config, policy)

