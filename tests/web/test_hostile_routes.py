"""Every route of the node, pages and API alike, answers hostile requests with something below 500.

Routes come from the URLconf itself (the API's operations are in it too), so a route added later is
walked without being named here. For each route, hypothesis draws the method, the path's values, a query
string, headers and a body: JSON nested past any parser's depth, lone surrogates, integers of
thousands of digits, NUL bytes, bytes that are no UTF-8, values of the wrong type. A 5xx, or an
exception the test client raises instead of answering, fails the test.

The same requests go a second time through the ASGI front `ayllu serve` runs (src/ayllu/asgi.py), as
granian hands them over: raw header bytes, bodies in pieces, a body that stalls or is over the limit, a
client that leaves. The front's own refusals (408, 413) must come in the API's error shape.
"""

import json
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote, unquote, urlencode

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ayllu.actions.record import forget_replayed_state
from factories.stored import StoredAssembly, empty_database, found, log_in_as

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
# Every route is walked; the whole test stays within seconds (about 140 routes). `make test-fast` sets
# AYLLU_FUZZ_EXAMPLES=3 (every route still walked, a quarter of the examples); `make test` and CI draw
# them all.
FUZZ_EXAMPLES = int(os.environ.get("AYLLU_FUZZ_EXAMPLES", "12"))
EXAMPLES_PER_ROUTE = FUZZ_EXAMPLES
FIXTURE_ONCE = HealthCheck.function_scoped_fixture  # the member logs in once per route, on purpose

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


# Each route's test runs in a transaction of its own, rolled back after it: what a hostile request
# wrote is gone before the next route's.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def assembly(django_db_setup: None, django_db_blocker: Any) -> Iterator[StoredAssembly]:
    """One assembly for every route's examples, written once for this file (not once per route); the
    database is emptied after the file, as each test's rollback leaves it."""
    with django_db_blocker.unblock():
        try:
            yield found("Junta Vecinal Villa Esperanza", notices=2)
        finally:
            forget_replayed_state()
            empty_database()


@pytest.fixture(autouse=True)
def fresh_replayed_state() -> Iterator[None]:
    """No replayed state outlives a route's test: an entry a hostile request appended is rolled back."""
    forget_replayed_state()
    yield
    forget_replayed_state()


# What tells dev's and prod's settings (ayllu.settings.dev, .prod) from the tests' where an answer may
# differ: dev shows Django's debug pages, prod redirects to HTTPS and marks cookies secure.
NODE_SETTINGS: dict[str, dict[str, Any]] = {
    "test": {},
    "dev": {"DEBUG": True},
    "prod": {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
    },
}


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
    # given: a client, logged in as a member or not, and the node's settings: dev's or prod's
    request = data.draw(requests(route, assembly.log))
    client = member if data.draw(st.booleans()) else Client()
    node = data.draw(st.sampled_from(sorted(NODE_SETTINGS)))
    # when
    url = request["path"] + ("?" + request["query"] if request["query"] else "")
    send = getattr(client, request["method"])
    with override_settings(**NODE_SETTINGS[node]):
        # prod sends plain HTTP to HTTPS: the request comes as a browser would send it there
        secure = {"secure": True} if node == "prod" else {}
        if request["method"] in {"get", "head", "options"}:
            answer = send(url, headers=request["headers"], **secure)
        else:
            answer = send(
                url,
                request["body"],
                content_type=request["content_type"],
                headers=request["headers"],
                **secure,
            )
    # then
    assert answer.status_code < 500, (node, request["method"], url, answer.status_code, answer.content[:300])
    # and every refusal under /api/ comes in the API's error shape (docs/api.md, "Errors")
    if request["path"].startswith("/api/") and answer.status_code >= 400 and request["method"] != "head":
        shaped = json.loads(answer.content)
        assert set(shaped) == {"code", "message", "detail"}, (request["method"], url, answer.content[:300])


# --- the same, through the ASGI front `ayllu serve` runs (src/ayllu/asgi.py) ---------------------------
FRONT_LIMIT = 64 * 1024  # small enough that deep bodies cross it: the front's own 413
FRONT_SECONDS = 0.2  # a body that stalls: the front's own 408
RAW_HEADERS = st.sampled_from(
    [
        (b"content-length", b"abc"),
        (b"content-length", b"-5"),
        (b"content-length", b"99999999999999999999"),
        (b"content-type", b"application/json; charset=\xff\xfe"),
        (b"x-forwarded-for", b"\xff\x00, 10.0.0.1"),
        (b"host", b"\xc3\xa9vil.example:99999"),
        (b"cookie", b"sessionid=\x00; django_language=\xff"),
        (b"accept-language", b"x" * 8_000),
        (b"transfer-encoding", b"chunked"),
        (b"x-\xff", b"\x7f"),
    ]
)


@st.composite
def front_scopes(draw: st.DrawFn, route: str, log: str, cookie: str) -> dict[str, Any]:
    """An ASGI HTTP scope and the messages its body arrives in, as granian could hand them over."""
    request = draw(requests(route, log))
    body = request["body"]
    if request["method"] in {"get", "head", "options"} and draw(st.booleans()):
        body = b""
    headers = [(k.encode(), v.encode("utf-8", "surrogatepass")) for k, v in request["headers"].items()]
    headers += [(b"content-type", request["content_type"].encode())]
    headers += [(b"content-length", str(len(body)).encode())] if draw(st.booleans()) else []
    headers += draw(st.lists(RAW_HEADERS, max_size=3))
    if cookie and draw(st.booleans()):
        headers.append((b"cookie", cookie.encode()))
    raw_path = request["path"].encode("utf-8", "surrogatepass")
    scope = {
        "type": "http",
        "http_version": draw(st.sampled_from(["1.0", "1.1", "2"])),
        "method": request["method"].upper(),
        "scheme": "http",
        "path": unquote(request["path"], errors="replace"),  # servers decode invalid UTF-8 so
        "raw_path": raw_path,
        "query_string": request["query"].encode(),
        "root_path": "",
        "headers": headers,
        "client": draw(st.sampled_from([("192.0.2.9", 5000), None, ("::1", 1)])),
        "server": draw(st.sampled_from([("127.0.0.1", 8000), None])),
    }
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=3)))
    chunks = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    ending = draw(st.sampled_from(["whole", "whole", "whole", "stall", "disconnect"]))
    return {"scope": scope, "chunks": chunks, "ending": ending}


def through_front(
    front: Any, scope: dict[str, Any], chunks: list[bytes], ending: str
) -> list[dict[str, Any]]:
    """Send one request through the front on an event loop of its own; return what it sent back."""
    import asyncio

    sent: list[dict[str, Any]] = []
    queue = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
    if ending == "whole":
        queue[-1]["more_body"] = False
    elif ending == "disconnect":
        queue.append({"type": "http.disconnect"})

    async def receive() -> dict[str, Any]:
        if queue:
            return queue.pop(0)
        await asyncio.sleep(60)  # a client that stalls: the front's body timeout answers first
        raise AssertionError("the front waited past its body timeout")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with ThreadPoolExecutor(max_workers=1) as pool:  # not inside a running loop (see test_front_language)
        pool.submit(asyncio.run, front(scope, receive, send)).result()  # an exception here is a 500
    return sent


@pytest.fixture
def front(settings: Any) -> Iterator[Any]:
    """The ASGI front around Django's WSGI app, its thread on this test's database connection.

    The front runs the app in a pool thread; that thread is given the test's own connection (whose
    transaction holds the assembly) and Django's end-of-request connection closing is held off, as
    Django's test client does."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections, connections

    from ayllu.asgi import BufferingFront

    settings.AYLLU_REQUEST_BODY_MAX_BYTES = FRONT_LIMIT
    settings.AYLLU_REQUEST_BODY_SECONDS = FRONT_SECONDS
    connection = connections["default"]
    connection.inc_thread_sharing()

    def share() -> None:
        connections["default"] = connection

    buffering = BufferingFront(get_wsgi_application(), threads=1)
    buffering.pool.shutdown()
    buffering.pool = ThreadPoolExecutor(max_workers=1, initializer=share)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield buffering
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        buffering.pool.shutdown()
        connection.dec_thread_sharing()


FRONT_EXAMPLES_PER_ROUTE = max(1, FUZZ_EXAMPLES // 3)  # 4 with the 12 above: about a minute on one core


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=FRONT_EXAMPLES_PER_ROUTE, deadline=None, suppress_health_check=[FIXTURE_ONCE])
@given(data=st.data())
def test_no_route_answers_a_hostile_request_through_the_asgi_front_with_a_server_error(
    route: str, assembly: StoredAssembly, member: Client, front: Any, data: st.DataObject
) -> None:
    # given: a hostile request as granian hands it to the front, its body in pieces, maybe stalling
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in member.cookies.items())
    drawn = data.draw(front_scopes(route, assembly.log, cookie))
    scope, chunks, ending = drawn["scope"], drawn["chunks"], drawn["ending"]
    # when
    sent = through_front(front, scope, chunks, ending)
    # then: a client that left before its body was over the limit gets nothing; every other request an
    # answer below 500
    size = sum(len(c) for c in chunks)
    if ending == "disconnect" and size <= FRONT_LIMIT:
        assert sent == []
        return
    start = sent[0]
    assert start["type"] == "http.response.start"
    status = start["status"]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    what = (scope["method"], scope["path"], ending, size, status, body[:300])
    assert status < 500, what
    # and the front's own refusals come in the API's error shape, whatever the route
    if ending == "stall" or size > FRONT_LIMIT:
        expected = (413, "request_too_large") if size > FRONT_LIMIT else (408, "request_timeout")
        answer = json.loads(body)
        assert (status, answer["code"]) == expected, what
        assert set(answer) == {"code", "message", "detail"} and answer["message"], what
        assert dict(start["headers"])[b"content-type"] == b"application/json"


@pytest.mark.parametrize("length", [b"abc", b"-5", b"99999999999999999999", b"3"])
def test_the_front_passes_on_the_length_of_the_body_it_read_not_the_clients_header(
    assembly: StoredAssembly, front: Any, length: bytes
) -> None:
    # given: a founding's body whose Content-Length header is not a number, or not its length
    body = b'{"act": {"v": 2}, "body": "{}", "asig": ""}'
    headers = [(b"content-type", b"application/json"), (b"content-length", length)]
    scope = {"type": "http", "method": "POST", "path": "/api/assemblies", "headers": headers}
    scope |= {"query_string": b"", "client": ("192.0.2.9", 5000), "server": ("127.0.0.1", 8000)}
    # when
    sent = through_front(front, scope, [body], "whole")
    # then: Django read the whole body the front had read, and refused it as the API does
    answer = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert (sent[0]["status"], answer["code"], set(answer)) == (
        422,
        "invalid_request",
        {"code", "message", "detail"},
    )


@pytest.mark.parametrize("path", ["/api/assemblies/{log}/roster", "/es/asamblea/{log}/"])
def test_a_host_the_node_does_not_serve_is_a_400_even_with_a_body_django_cannot_parse(
    assembly: StoredAssembly, member: Client, front: Any, path: str
) -> None:
    # given: a member's browser (CSRF cookie) posting a multipart body without a boundary to a Host
    # Django refuses: its own 400 handler checked CSRF, read the body, and answered 500
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in member.cookies.items())
    headers = [(b"content-type", b"multipart/form-data"), (b"host", b"\xc3\xa9vil.example:99999")]
    scope = {"type": "http", "method": "POST", "path": path.format(log=assembly.log), "query_string": b""}
    scope |= {"headers": [*headers, (b"cookie", cookie.encode())], "client": ("192.0.2.9", 5000)}
    # when
    sent = through_front(front, scope, [b"[[["], "whole")
    # then
    assert sent[0]["status"] == 400
    if path.startswith("/api/"):
        answer = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
        assert (answer["code"], set(answer)) == ("bad_request", {"code", "message", "detail"})


def test_a_post_to_a_record_the_node_lacks_is_a_404_that_says_why_even_with_a_body_django_cannot_parse(
    member: Client, front: Any
) -> None:
    # given: a member's browser (CSRF cookie) posting a multipart body without a boundary to a record
    # this node does not hold: Django's own 404 handler checked CSRF, read the body, and answered 500
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in member.cookies.items())
    headers = [(b"content-type", b"multipart/form-data"), (b"accept-language", b"es")]
    scope = {"type": "http", "method": "POST", "path": "/es/asamblea/x/registro/verificar/"}
    scope |= {"query_string": b"", "headers": [*headers, (b"cookie", cookie.encode())]}
    scope |= {"client": ("192.0.2.9", 5000), "server": ("127.0.0.1", 8000)}
    # when
    sent = through_front(front, scope, [b"whole"], "whole")
    # then: a 404 page that names the reason in the reader's words
    page = b"".join(m.get("body", b"") for m in sent[1:]).decode()
    assert sent[0]["status"] == 404
    assert "Este nodo no tiene ese registro." in page
