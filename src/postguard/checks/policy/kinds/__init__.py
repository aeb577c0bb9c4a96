"""Rule kinds: one module per kind, dispatched here and nowhere else.

Each kind module exposes ``FIELDS`` (its own fields, with a word on each), ``PLACEHOLDERS``
(extra ``{names}`` its messages may use besides ``{match}`` and ``{suggest}``) and
``build(fields) -> Matcher``.
"""

from __future__ import annotations

from types import ModuleType

from postguard.checks.policy.kinds import (
    capitalization,
    conditional,
    consistency,
    date,
    entity,
    link,
    metric,
    occurrence,
    pattern,
    phrase,
    repetition,
    sequence,
    spelling,
    styled,
    substitution,
)
from postguard.checks.policy.rule import Matcher
from postguard.checks.policy.spec import Fields
from postguard.errors import one_of

KINDS: dict[str, ModuleType] = {
    "phrase": phrase,
    "substitution": substitution,
    "pattern": pattern,
    "occurrence": occurrence,
    "conditional": conditional,
    "entity": entity,
    "link": link,
    "date": date,
    "repetition": repetition,
    "consistency": consistency,
    "capitalization": capitalization,
    "metric": metric,
    "spelling": spelling,
    "sequence": sequence,
    "styled": styled,
}


def kind_module(kind: object, fields: Fields) -> ModuleType:
    """The module for ``kind``; an unknown kind is refused with the list of valid ones."""
    module = KINDS.get(kind) if isinstance(kind, str) else None
    if module is None:
        raise fields.error("kind", f"kind {one_of(kind, KINDS)}")
    return module


def build(kind: str, fields: Fields) -> Matcher:
    """Compile a rule's kind-specific fields into its matcher."""
    return kind_module(kind, fields).build(fields)
