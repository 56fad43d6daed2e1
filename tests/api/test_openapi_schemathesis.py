"""The API against its own OpenAPI document (schemathesis): no 5xx, answers match the schema.

A few generated examples per operation keep it fast; path ids point into a founded assembly so that
reads and acts reach the rules, not only the 404 of an unknown record.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .builders import ApiAssembly

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def founded(assembly: ApiAssembly) -> ApiAssembly:
    """The assembly with a proposal (seq 2) and an open question on it (seq 3)."""
    proposal = assembly.ok("ana", "table", matter="ordinary", title="Agua", text="")
    assembly.ok("ana", "open-question", proposal=proposal, deadline=4_102_444_800_000)
    return assembly


@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_openapi_document(case: schemathesis.Case, founded: ApiAssembly) -> None:
    # given: real ids where the operation names an assembly
    if case.path_parameters and "log" in case.path_parameters:
        case.path_parameters["log"] = founded.log
    # when / then
    case.call_and_validate(checks=CHECKS)
