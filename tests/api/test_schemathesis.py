"""Property-based tests from the OpenAPI spec against the real server: no 5xx, no schema violations.

Valid and invalid requests are generated for every operation; each answer must be a documented
status with a body that matches its documented schema.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import checks as st_checks  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from postguard.api.app import create_app  # noqa: E402
from postguard.api.settings import Settings  # noqa: E402

CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
    st_checks.response_headers_conformance,
]
_OPERATIONS = [
    (f"{method.upper()} {path}", bool(op.get("parameters") or op.get("requestBody")))
    for path, item in create_app(Settings()).openapi()["paths"].items()
    for method, op in item.items()
]
# Invalid requests only where there is an input to get wrong.
CASES = [(label, GenerationMode.POSITIVE) for label, _ in _OPERATIONS] + [
    (label, GenerationMode.NEGATIVE) for label, has_input in _OPERATIONS if has_input
]


@pytest.fixture(scope="module")
def api_schema(server):
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


@pytest.mark.slow
@pytest.mark.parametrize("label, mode", CASES, ids=[f"{m.value}-{label}" for label, m in CASES])
def test_api_conforms_to_its_spec(api_schema, label, mode):
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, label

    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(checks=CHECKS, timeout=30)

    run()


@pytest.mark.slow
def test_every_schemathesis_check_passes_in_every_phase(server, tmp_path):
    """The command line's run: examples, coverage (undeclared methods must get 405 with Allow,
    ST204) and fuzzing, with every check it has."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    command = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
    assert command, "the schemathesis command comes with the test extra"
    proc = subprocess.run(
        [command, "run", server.url + "/openapi.json", "--checks", "all", "--max-examples", "25",
         "--seed", "1", "--request-timeout", "30", "--no-color"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,  # its .schemathesis/ cache goes there
    )
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-2000:]
