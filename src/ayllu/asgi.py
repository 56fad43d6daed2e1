"""The entry point `ayllu serve` runs under granian: the WSGI app behind a front that reads bodies first.

Under granian's WSGI interface a blocking thread is taken as soon as a request's headers arrive and
then waits for its body: as many clients sending a body one byte a second as there are threads stop
the node answering anyone. Here granian speaks ASGI to this front instead, which reads each request's
whole body on the event loop (spooled to a temporary file past 64 KiB) within
`AYLLU_REQUEST_BODY_SECONDS`, answering 408 when it does not arrive in time and 413 past
`AYLLU_REQUEST_BODY_MAX_BYTES`, and only then hands the request to Django's WSGI app in a pool of
`threads` threads. A slow client costs a coroutine, never a thread. Responses stream back as the app
writes them.
"""

import asyncio
import io
import json
import os
import sys
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from django.utils import translation

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

SPOOL_BYTES = 64 * 1024


class BodyTimeout(Exception):
    pass


class BodyTooLarge(Exception):
    pass


class ClientGone(Exception):
    pass


async def read_body(receive: Receive, *, seconds: float, limit: int) -> IO[bytes]:
    """The request's whole body, read within `seconds` in all and no larger than `limit` bytes."""
    body: IO[bytes] = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the caller)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    size = 0
    try:
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise BodyTimeout()
            try:
                message = await asyncio.wait_for(receive(), timeout=left)
            except TimeoutError:
                raise BodyTimeout() from None
            if message["type"] == "http.disconnect":
                raise ClientGone()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge()
            body.write(chunk)
            if not message.get("more_body", False):
                body.seek(0)
                return body
    except BaseException:
        body.close()
        raise


def wsgi_environ(scope: Scope, body: IO[bytes]) -> dict[str, Any]:
    """The WSGI environ (PEP 3333) of an ASGI HTTP scope whose body has been read."""
    script_name = scope.get("root_path", "")
    path = scope["path"]
    if script_name and path.startswith(script_name):
        path = path[len(script_name) :]
    server = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": script_name.encode("utf-8").decode("latin-1"),
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] or 80),
        "REMOTE_ADDR": (scope.get("client") or ("", 0))[0],
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    # The whole body has been read: its length is known, whatever the client's header said (a
    # Content-Length of "abc", or one that disagrees with the body, is not passed on to Django).
    body.seek(0, io.SEEK_END)
    environ["CONTENT_LENGTH"] = str(body.tell())
    body.seek(0)
    return environ


def run_wsgi(app: WsgiApp, environ: dict[str, Any], *, send: Send, loop: asyncio.AbstractEventLoop) -> None:
    """Run the WSGI app in this (pool) thread, sending its answer through the event loop as it comes."""

    async def sending(message: Message) -> None:
        await send(message)  # granian's send returns an awaitable that is not a coroutine

    def send_now(message: Message) -> None:
        asyncio.run_coroutine_threadsafe(sending(message), loop).result()

    started: dict[str, Message] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        started["start"] = {
            "type": "http.response.start",
            "status": int(status.split(" ", 1)[0]),
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        }

    result = app(environ, start_response)
    try:
        head_sent = False
        for chunk in result:
            if not chunk:
                continue
            if not head_sent:
                send_now(started["start"])
                head_sent = True
            send_now({"type": "http.response.body", "body": chunk, "more_body": True})
        if not head_sent:
            send_now(started["start"])
        send_now({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()  # Django's request_finished: closes what the request opened


def language_of(scope: Scope) -> str:
    """The language Django would answer this request in: the path's prefix, the language cookie,
    Accept-Language, else the node's default (the request never reaches Django's LocaleMiddleware)."""
    from django.core.handlers.wsgi import WSGIRequest

    request = WSGIRequest(wsgi_environ(scope, io.BytesIO()))
    return translation.get_language_from_request(request, check_path=True)


async def refuse(scope: Scope, send: Send, *, status: int, code: str, detail: dict[str, Any]) -> None:
    """Answer before Django sees the request, in the API's error shape and the request's language."""
    from ayllu.messages import message_for

    with translation.override(language_of(scope)):
        message = message_for(code, detail)
    body = json.dumps({"code": code, "message": message, "detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class BufferingFront:
    """An ASGI app that reads each request's body in full, within a time limit, before a thread runs it."""

    def __init__(self, app: WsgiApp, *, threads: int) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ayllu-wsgi")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        seconds = settings.AYLLU_REQUEST_BODY_SECONDS
        limit = int(settings.AYLLU_REQUEST_BODY_MAX_BYTES)
        try:
            body = await read_body(receive, seconds=float(seconds), limit=limit)
        except BodyTimeout:
            await refuse(scope, send, status=408, code="request_timeout", detail={"seconds": seconds})
            return
        except BodyTooLarge:
            await refuse(scope, send, status=413, code="request_too_large", detail={"limit": limit})
            return
        except ClientGone:
            return
        with body:
            loop = asyncio.get_running_loop()
            environ = wsgi_environ(scope, body)
            await loop.run_in_executor(self.pool, lambda: run_wsgi(self.app, environ, send=send, loop=loop))

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        from ayllu.storage.version_watch import stop_watching_records_version, watch_records_version

        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # The URLs loaded as the worker starts, before granian hands it a request, rather than in
                # its first request (about 2.6 s of CPU, most of it the API's schemas): a follower asking
                # a node just started waits for no more than its own record's check (decision 0035).
                get_resolver().url_patterns  # noqa: B018
                # Pages are served here: a thread of this worker listens for the node's records version,
                # so a page asked for again asks the database nothing (PostgreSQL; decision 0034).
                watch_records_version()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.shutdown(wait=False, cancel_futures=True)
                await asyncio.get_running_loop().run_in_executor(None, stop_watching_records_version)
                await send({"type": "lifespan.shutdown.complete"})
                return


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
application = BufferingFront(get_wsgi_application(), threads=int(os.environ.get("AYLLU_SERVE_THREADS", "4")))
