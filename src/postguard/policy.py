"""Policy: which checks and rule packs are on, thresholds, severities, allowlists, platforms.

A policy is a YAML file. ``extends:`` names a built-in policy or a path (relative to the file);
mappings merge key by key, lists and scalars replace. ``platforms:`` holds per-platform profiles
merged over the base when checking for that platform.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from postguard.errors import PolicyError, one_of
from postguard.findings import CATEGORIES, Finding, Severity

SeverityOverride = Literal["info", "warning", "block", "off"]


class AllowEntry(BaseModel):
    """An organisation-public value that is never flagged (a service-desk phone, a shared mailbox)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str | None = None
    pattern: str | None = None
    categories: tuple[str, ...] = ("pii", "secret")
    note: str | None = None

    @model_validator(mode="after")
    def _one_of_value_or_pattern(self) -> "AllowEntry":
        if (self.value is None) == (self.pattern is None):
            raise ValueError("an allowlist entry needs exactly one of 'value' or 'pattern'")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"invalid pattern {self.pattern!r}: {exc}") from None
        for c in self.categories:
            if c not in CATEGORIES:
                raise ValueError(f"category {one_of(c, CATEGORIES)}")
        return self

    def matches(self, finding: Finding) -> bool:
        if finding.category not in self.categories:
            return False
        text = finding.excerpt
        if self.value is not None:
            return _squash(text) == _squash(self.value)
        return re.fullmatch(self.pattern or "", text.strip(), re.IGNORECASE) is not None


def _squash(s: str) -> str:
    """Compare values ignoring case and spacing/punctuation in numbers ("0113 343 3000")."""
    return re.sub(r"[\s\-().]", "", s).casefold()


class PostAnyway(BaseModel):
    """What the author must do to post despite findings (used by the browser extension)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    allowed_on_block: bool = True
    require_reason: bool = False
    reasons: tuple[str, ...] = (
        "Reviewed: the flagged text is correct and intended",
        "The information is already public",
        "Approved by a manager or the communications team",
        "False alarm",
    )


class Organisation(BaseModel):
    """The organisation's own names, services, departments, buildings and role mailboxes: never personal data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    names: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    buildings: tuple[str, ...] = ()
    #: local parts of shared mailboxes beyond the built-in role words ("servicedesk", "noreply", ...)
    mailboxes: tuple[str, ...] = ()

    def terms(self) -> tuple[str, ...]:
        """Every name, service, department and building, for matching in a post."""
        return (*self.names, *self.services, *self.departments, *self.buildings)


def _yaml_off(v: Any) -> Any:
    """YAML 1.1 reads a bare ``off`` as false: take it to mean the severity "off"."""
    if isinstance(v, dict):
        return {k: ("off" if val is False else val) for k, val in v.items()}
    return v


class PlatformProfile(BaseModel):
    """Overrides for one platform: checks, severities and the length limit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    checks: dict[str, dict[str, Any]] = Field(default_factory=dict)
    severity: dict[str, SeverityOverride] = Field(default_factory=dict)
    limit: int | None = Field(default=None, ge=1, description="Length limit, e.g. a Mastodon instance's.")

    _off = field_validator("severity", mode="before")(classmethod(lambda cls, v: _yaml_off(v)))


class Policy(BaseModel):
    """A parsed, merged policy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    extends: str | None = None
    checks: dict[str, dict[str, Any]] = Field(default_factory=dict)
    severity: dict[str, SeverityOverride] = Field(default_factory=dict)
    allowlist: tuple[AllowEntry, ...] = ()
    organisation: Organisation = Field(default_factory=Organisation)
    platforms: dict[str, PlatformProfile] = Field(default_factory=dict)
    max_text_length: int = Field(default=100_000, ge=1)
    post_anyway: PostAnyway = Field(default_factory=PostAnyway)
    #: Where the policy was loaded from (``None`` for a built-in or in-memory policy).
    source: str | None = Field(default=None, exclude=True)

    _off = field_validator("severity", mode="before")(classmethod(lambda cls, v: _yaml_off(v)))

    @field_validator("checks", mode="before")
    @classmethod
    def _checks_are_mappings(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        v = dict(v)
        for name, conf in v.items():
            if conf is None:
                v[name] = {}
            elif isinstance(conf, bool):
                v[name] = {"enabled": conf}
            elif not isinstance(conf, dict):
                raise ValueError(f"checks.{name} must be a mapping or true/false")
        return v

    def enabled_checks(self, platform: str = "generic") -> dict[str, dict[str, Any]]:
        """Config of every enabled check for ``platform`` (``enabled`` key removed)."""
        merged = self.for_platform(platform).checks
        return {
            name: {k: v for k, v in conf.items() if k != "enabled"}
            for name, conf in merged.items()
            if conf.get("enabled", True)
        }

    def for_platform(self, platform: str) -> "Policy":
        """This policy with the platform's profile merged over it."""
        return _for_platform(self, platform)

    def severity_for(self, finding: Finding) -> Severity | None:
        """The severity a finding gets under this policy; ``None`` when switched off."""
        override = _severity_override(self.severity, finding.rule_id, finding.category)
        if override is None:
            return finding.severity
        if override == "off":
            return None
        return Severity(override)

    def allows(self, finding: Finding) -> bool:
        """True when the finding's text is on the organisation's allowlist."""
        return any(entry.matches(finding) for entry in self.allowlist)

    def __hash__(self) -> int:  # policies key caches of built checks
        return id(self)


@functools.lru_cache(maxsize=64)
def _for_platform(policy: Policy, platform: str) -> Policy:
    from postguard.platforms import PLATFORMS

    # A profile may be written under the platform's name or one of its aliases (x / twitter).
    names = (platform, *(PLATFORMS[platform].aliases if platform in PLATFORMS else ()))
    profile = next((policy.platforms[n] for n in names if n in policy.platforms), None)
    if profile is None:
        return policy
    checks = _merge(policy.checks, profile.checks)
    if profile.limit is not None:
        checks = _merge(checks, {"platform": {"limits": {platform: profile.limit}}})
    return policy.model_copy(update={"checks": checks, "severity": {**policy.severity, **profile.severity}})


def _severity_override(table: Mapping[str, str], rule_id: str, category: str) -> str | None:
    """Most specific wins: the exact rule id, then the longest matching glob, then the category."""
    if rule_id in table:
        return table[rule_id]
    globs = [k for k in table if any(ch in k for ch in "*?[") and fnmatch.fnmatchcase(rule_id, k)]
    if globs:
        return table[max(globs, key=len)]
    return table.get(category)


# --------------------------------------------------------------------------------------------
# Loading


def builtin_policies() -> list[str]:
    """Names of the policies shipped with postguard."""
    root = resources.files("postguard") / "policies"
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def load_policy(path_or_name: "str | Path | Policy | None" = None) -> Policy:
    """Load a policy by built-in name (``default``) or from a YAML file."""
    if path_or_name is None:
        return _load_builtin("default")
    if isinstance(path_or_name, Policy):
        return path_or_name
    if isinstance(path_or_name, str) and "/" not in path_or_name and not path_or_name.endswith(
        (".yaml", ".yml")
    ):
        return _load_builtin(path_or_name)
    return _load_file(Path(path_or_name), chain=())


@functools.lru_cache(maxsize=16)
def _load_builtin(name: str) -> Policy:
    names = builtin_policies()
    if name not in names:
        raise PolicyError(f"policy {one_of(name, names)}, and no such file exists")
    ref = resources.files("postguard") / "policies" / f"{name}.yaml"
    return _build(_read_yaml(ref.read_text(encoding="utf-8"), f"<builtin>/{name}.yaml"), None, ())


def _load_file(path: Path, chain: tuple[str, ...]) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(
            f"policy file {str(path)!r} does not exist (built-in policies: {', '.join(builtin_policies())})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read policy file {str(path)!r}: {exc}") from None
    return _build(_read_yaml(text, str(path)), path, chain)


def _read_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark else where
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(f"{loc}: invalid YAML: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(f"{where}: a policy must be a mapping of settings, not {type(data).__name__}")
    data.setdefault("__where__", where)
    return data


def _build(data: dict[str, Any], path: Path | None, chain: tuple[str, ...]) -> Policy:
    where = data.pop("__where__", str(path))
    if where in chain:
        raise PolicyError(f"{where}: 'extends' forms a cycle: {' -> '.join(chain + (where,))}")
    parent_ref = data.get("extends")
    if parent_ref is not None:
        if not isinstance(parent_ref, str):
            raise PolicyError(f"{where}: 'extends' must be a policy name or a path")
        parent_path = Path(parent_ref)
        if path is not None and not parent_path.is_absolute() and (
            "/" in parent_ref or parent_ref.endswith((".yaml", ".yml"))
        ):
            parent_path = path.parent / parent_ref
        if "/" in parent_ref or parent_ref.endswith((".yaml", ".yml")):
            parent = _load_file(parent_path, chain + (where,))
        else:
            parent = _load_builtin(parent_ref)
        base = parent.model_dump(mode="json", exclude={"source"})
        base.pop("name", None)
        base.pop("description", None)
        data = _merge(base, data)
    data.setdefault("name", path.stem if path is not None else "policy")
    if path is not None:
        data["source"] = str(path)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}" for e in exc.errors()
        )
        allowed = ", ".join(k for k in Policy.model_fields if k != "source")
        raise PolicyError(f"{where}: invalid policy: {problems} (top-level keys: {allowed})") from None


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
