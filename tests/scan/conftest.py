"""Fixtures for the scan tests: one real checker for the module's tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # for ``from exports import ...``
