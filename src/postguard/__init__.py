"""postguard: a second pair of eyes before an organisation's post goes out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("postguard")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

from postguard.engine import Checker, check
from postguard.errors import (
    InputError,
    ModelError,
    PolicyError,
    PostguardError,
    ReadError,
    RuleError,
    TextTooLongError,
)
from postguard.findings import Finding, Score, Severity
from postguard.parsing import ParsedPost, parse
from postguard.policy import Policy, load_policy
from postguard.post import Post, PostMetadata
from postguard.report import Report
from postguard.scan import PublishedPost, scan  # the function; its modules stay postguard.scan.*

__all__ = [
    "Checker",
    "Finding",
    "InputError",
    "ModelError",
    "ParsedPost",
    "Policy",
    "PolicyError",
    "Post",
    "PostMetadata",
    "PostguardError",
    "PublishedPost",
    "ReadError",
    "Report",
    "RuleError",
    "Score",
    "Severity",
    "TextTooLongError",
    "__version__",
    "check",
    "load_policy",
    "parse",
    "scan",
]
