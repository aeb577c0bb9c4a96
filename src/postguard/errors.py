"""Every error postguard raises, in one tree.

    PostguardError
    ├── InputError          the text, format, platform or options given to a check are unusable
    │   ├── TextTooLongError    the text is longer than the policy's ``max_text_length``
    │   └── ReadError           an export given to ``scan`` is malformed, truncated or unknown
    ├── PolicyError         a policy file is missing, unreadable or invalid
    │   └── RuleError           a rule file is invalid or its own examples fail
    └── ModelError          a model or language pipeline the policy needs is not installed

Messages say what was wrong and, where there is a choice, list what is allowed.
"""

from __future__ import annotations


class PostguardError(Exception):
    """Base of every error raised by postguard."""


class InputError(PostguardError, ValueError):
    """The text or an option passed to a check cannot be used."""


class TextTooLongError(InputError):
    """The text exceeds the configured maximum length."""


class ReadError(InputError):
    """An export (or one record in it) is malformed, truncated or of no known format."""

    def __init__(self, source: str, place: str, problem: str) -> None:
        self.source, self.place, self.problem = source, place, problem
        super().__init__(f"{source}: {place}: {problem}" if place else f"{source}: {problem}")

    def __reduce__(self):  # the same error after a trip through a worker process
        return (ReadError, (self.source, self.place, self.problem))


class PolicyError(PostguardError):
    """A policy cannot be loaded or is invalid."""


class RuleError(PolicyError):
    """A rule file is invalid, or its embedded examples fail."""


class ModelError(PostguardError):
    """A model or language pipeline needed by an enabled check is missing."""


def one_of(value: object, allowed: "list[str] | tuple[str, ...] | set[str]") -> str:
    """Phrase 'X is not one of ...' the same way everywhere."""
    return f"{value!r} is not one of: {', '.join(sorted(allowed))}"
