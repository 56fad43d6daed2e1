"""The ASGI front's own refusals (408, 413), given before Django sees a request, speak its language."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from ayllu.asgi import BufferingFront

LIMIT = 16


def never_called(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    raise AssertionError("a refused request reached the app")


def refusal(
    *, path: str, headers: list[tuple[bytes, bytes]], slow: bool = False
) -> tuple[int, dict[str, Any]]:
    """Send one request through the front: a body over the limit, or (slow) one that never arrives."""
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers, "query_string": b""}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if slow:
            await asyncio.sleep(10)
        return {"type": "http.request", "body": b"x" * (LIMIT + 1), "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    front = BufferingFront(never_called, threads=1)
    # In a thread of its own: an xdist worker that also drives the browser has Playwright's event loop
    # running in this one, and asyncio.run refuses to start inside a running loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, front(scope, receive, send)).result()
    return sent[0]["status"], json.loads(sent[1]["body"])


@pytest.fixture(autouse=True)
def small_limits(settings: Any) -> None:
    settings.AYLLU_REQUEST_BODY_MAX_BYTES = LIMIT
    settings.AYLLU_REQUEST_BODY_SECONDS = 1


@pytest.mark.parametrize(
    ("path", "headers", "start"),
    [
        ("/api/assemblies", [(b"accept-language", b"en-GB,en;q=0.9")], "The request is larger"),
        ("/api/assemblies", [(b"accept-language", b"es-BO,es;q=0.9")], "La solicitud es más grande"),
        ("/api/assemblies", [], "La solicitud es más grande"),  # the node's default
        ("/en/assembly/x/acts/", [(b"accept-language", b"es")], "The request is larger"),  # the path
        ("/api/assemblies", [(b"cookie", b"django_language=en")], "The request is larger"),
    ],
    ids=["accept-en", "accept-es", "default", "path-en", "cookie-en"],
)
def test_a_body_over_the_limit_is_refused_in_the_requests_language(
    path: str, headers: list[tuple[bytes, bytes]], start: str
) -> None:
    # when
    status, body = refusal(path=path, headers=headers)
    # then
    assert (status, body["code"], body["detail"]) == (413, "request_too_large", {"limit": LIMIT})
    assert body["message"].startswith(start)


def test_a_body_that_does_not_arrive_is_refused_in_english_when_asked() -> None:
    # when
    status, body = refusal(path="/api/assemblies", headers=[(b"accept-language", b"en")], slow=True)
    # then
    assert (status, body["code"]) == (408, "request_timeout")
    assert body["message"] == "The request's content did not arrive within 1 second."
