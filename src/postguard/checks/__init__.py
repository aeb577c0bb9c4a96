"""Checks: pluggable stages that read a ParsedPost and yield findings and scores."""

from postguard.checks.base import Check, BaseCheck, available_checks, create_check, register_check

__all__ = ["BaseCheck", "Check", "available_checks", "create_check", "register_check"]
