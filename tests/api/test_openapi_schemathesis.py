"""The API against its own OpenAPI document (schemathesis): no 5xx, answers match the schema.

A few generated examples per operation keep it fast; path ids point into a founded assembly so that
reads and acts reach the rules, not only the 404 of an unknown record.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factories.api import ApiAssembly

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@contextmanager
def keeping_the_test_connection() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client does.

    Schemathesis calls the real WSGI handler, which closes "old" connections at each request; inside
    the test's transaction that would close PostgreSQL's connection under the test's feet. (Django's
    test client reconnects the handler after each of its own requests, so this wraps only our calls.)
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


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
    with keeping_the_test_connection():
        case.call_and_validate(checks=CHECKS)
