"""Every route of the node, pages and API alike, answers hostile requests with something below 500.

Routes come from the URLconf itself (the API's operations are in it too), so a route added later is
walked without being named here. For each route, hypothesis draws the method, the path's values, a query
string, headers and a body: JSON nested past any parser's depth, lone surrogates, integers of
thousands of digits, NUL bytes, bytes that are no UTF-8, values of the wrong type. A 5xx, or an
exception the test client raises instead of answering, fails the test.
"""

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ayllu.actions.record import forget_replayed_state
from factories.stored import StoredAssembly, found, log_in_as

SURROGATES = ("utf-8", "surrogatepass")
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    """Every route of the URLconf as a `path()` string, e.g. `es/asamblea/<str:log>/`."""
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            part = "es/"
        elif isinstance(pattern, RoutePattern):
            part = str(pattern._route)
        else:  # no regex routes today; walked as written if one comes
            part = str(pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + part


ROUTES = sorted(set(walk(get_resolver().url_patterns)))
# Every route is walked; the whole test stays within seconds (about 140 routes).
EXAMPLES_PER_ROUTE = 12
FIXTURE_ONCE = HealthCheck.function_scoped_fixture  # the assembly is made once per route, on purpose

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\ud800", "\x00", "..", "%00", "9" * 5000, "-1", "0", "null", "[]", "{}", "é" * 300]),
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(HOSTILE_TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["act", "body", "words", "asig", "author", "nonce", "vis", "text", "choice", "name", "charter"]


KINDS = ["deep", "surrogate", "huge", "nul", "not_utf8", "wrong_types", "json", "form"]
CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """A request body a hostile client might send."""
    kind = draw(
        st.sampled_from(["deep", "surrogate", "huge", "nul", "not_utf8", "wrong_types", "json", "form"])
    )
    if kind == "deep":
        depth = draw(st.integers(min_value=1_000, max_value=200_000))
        return draw(st.sampled_from([b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth]))
    if kind == "surrogate":
        return b'{"act": {"v": 2, "log": "\\ud800"}, "body": "\\udfff", "asig": "\\ud800"}'
    if kind == "huge":
        return b'{"seq": ' + b"9" * draw(st.integers(min_value=20, max_value=20_000)) + b"}"
    if kind == "nul":
        return b'{"text": "a\\u0000b", "act": "\x00"}'
    if kind == "not_utf8":
        return draw(st.binary(max_size=64)) + b"\xff\xfe\xc0"
    if kind == "wrong_types":
        return json.dumps(
            {field: draw(JSON_VALUES) for field in draw(st.lists(st.sampled_from(FIELDS)))}
        ).encode()
    if kind == "form":
        pairs = {
            draw(HOSTILE_TEXT).encode("utf-8", "surrogatepass"): draw(HOSTILE_TEXT).encode(
                "utf-8", "surrogatepass"
            )
        }
        return urlencode(pairs).encode()
    return json.dumps(draw(JSON_VALUES)).encode("utf-8", "surrogatepass")


@st.composite
def requests(draw: st.DrawFn, route: str, log: str) -> dict[str, Any]:
    """The route with its values filled in, a method, a query string, headers and a body."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name == "log" and draw(st.booleans()):
            return log
        if converter == "int" or (converter == "str" and draw(st.booleans())):
            return str(draw(st.sampled_from([0, 1, 2, 3, 2**63, 10**40, 99_999])))
        return quote(draw(HOSTILE_TEXT).encode("utf-8", "surrogatepass"), safe="") or "x"

    path = "/" + PARAMETER.sub(value, route)
    names = ["from", "to", "seq", "size", "format", "at", "months", "q", "next", "lang", "page", "since"]
    query = {draw(st.sampled_from(names)): draw(HOSTILE_TEXT) for _ in range(draw(st.integers(0, 3)))}
    headers = {
        "accept-language": draw(st.sampled_from(["es", "en", "xx", "*", "en;q=abc", "es-BO,\x00", "é" * 50])),
        "x-forwarded-for": draw(st.sampled_from(["", "1.2.3.4", "garbage, ::1", "\x00"])),
        "if-none-match": draw(st.sampled_from(["", '"abc"', "*", "W/" * 100])),
    }
    content_type = draw(
        st.sampled_from(
            ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
        )
    )
    return {
        "method": draw(st.sampled_from(["get", "post", "put", "delete", "head", "options"])),
        "path": path,
        "query": "&".join(
            f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in query.items()
        ),
        "headers": headers,
        "content_type": content_type,
        "body": draw(bodies()),
    }


@pytest.fixture
def assembly(db: None) -> Iterator[StoredAssembly]:
    """One assembly for every example of the test (made once: hypothesis runs them in one test)."""
    forget_replayed_state()
    yield found("Junta Vecinal Villa Esperanza", notices=2)
    forget_replayed_state()


@pytest.fixture
def member(assembly: StoredAssembly) -> Client:
    """A member's browser, logged in once (logging in for every example would meet the login limit)."""
    client = Client()
    log_in_as(client, assembly.log, assembly.members[1])
    return client


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, suppress_health_check=[FIXTURE_ONCE])
@given(data=st.data())
def test_no_route_answers_a_hostile_request_with_a_server_error(
    route: str, assembly: StoredAssembly, member: Client, data: st.DataObject
) -> None:
    # given: a client, logged in as a member or not
    request = data.draw(requests(route, assembly.log))
    client = member if data.draw(st.booleans()) else Client()
    # when
    url = request["path"] + ("?" + request["query"] if request["query"] else "")
    send = getattr(client, request["method"])
    if request["method"] in {"get", "head", "options"}:
        answer = send(url, headers=request["headers"])
    else:
        answer = send(url, request["body"], content_type=request["content_type"], headers=request["headers"])
    # then
    assert answer.status_code < 500, (request["method"], url, answer.status_code, answer.content[:300])
