"""`ayllu serve`: the web app under granian, with static files served by granian itself.

Granian speaks ASGI to `ayllu.asgi`, which reads each request's body in full, within a time limit,
before one of `threads` threads runs Django's WSGI app: a client sending its body slowly holds no
thread. Granian itself drops a connection whose headers take longer than
`AYLLU_REQUEST_HEADER_SECONDS`.

Granian forks its workers from this process (and forks again when one must be replaced), so this process
runs no thread of its own: a thread inside SQLite or a database driver at the moment of a fork leaves
the child a lock nobody will release, and the worker hangs on its first connection. Notifications and
the served sweep, once per node, run in a companion process started fresh (`spawn`, not forked).
"""

import multiprocessing
import os
import signal
import threading
from multiprocessing.process import BaseProcess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def serve(*, host: str, port: int, threads: int, deliver: bool = True) -> int:
    """Collect static files, then serve `ayllu.asgi:application` until interrupted; unless `deliver` is
    False or AYLLU_DELIVER_IN_SERVE is "0", notifications are delivered by the companion process, which
    also sweeps the rows the node serves (storage/served.py)."""
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    call_command("collectstatic", interactive=False, verbosity=0)
    os.environ["AYLLU_SERVE_THREADS"] = str(threads)  # read by ayllu.asgi in the worker process
    companion = start_companion(
        # one deliverer per node, not one per worker
        deliver_seconds=float(settings.AYLLU_DELIVER_SECONDS)
        if deliver and settings.AYLLU_DELIVER_IN_SERVE
        else None,
        # once per node too: requests only compare heads (docs/decisions/0026)
        sweep_seconds=float(settings.AYLLU_SERVED_SECONDS) if settings.AYLLU_SERVED_SWEEP_ROWS > 0 else None,
    )
    print(f"serving http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    header_ms = int(float(settings.AYLLU_REQUEST_HEADER_SECONDS) * 1000)
    try:
        Server(
            "ayllu.asgi:application",
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            http1_settings=HTTP1Settings(header_read_timeout=header_ms),
            static_path_route=[settings.STATIC_URL.rstrip("/")],
            static_path_mount=[Path(settings.STATIC_ROOT)],
        ).serve()
    finally:
        stop_companion(companion)
    return 0


def start_companion(*, deliver_seconds: float | None, sweep_seconds: float | None) -> BaseProcess | None:
    """Start the process that delivers every `deliver_seconds` and sweeps every `sweep_seconds` (None:
    not that work; neither: no process), in a fresh interpreter with this process's environment."""
    if deliver_seconds is None and sweep_seconds is None:
        return None
    process = multiprocessing.get_context("spawn").Process(
        target=run_companion,
        args=(deliver_seconds, sweep_seconds, os.getpid()),
        name="ayllu-companion",
        daemon=True,
    )
    process.start()
    return process


def stop_companion(process: BaseProcess | None, *, seconds: float = 15) -> None:
    """Ask the companion to stop (its passes finish), and end it if it has not within `seconds`."""
    if process is None:
        return
    process.terminate()
    process.join(seconds)
    if process.is_alive():
        process.kill()
        process.join()


def run_companion(deliver_seconds: float | None, sweep_seconds: float | None, parent: int) -> None:
    """The companion's body: Django set up from the environment, a thread per kind of work, until
    SIGTERM or until the serving process is gone (killed outright, it cannot stop this one)."""
    import django

    django.setup()
    from ayllu.notify.delivery import start_delivery_thread
    from ayllu.storage.served import start_sweep_thread

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the server stops us
    started = []
    if deliver_seconds is not None:
        started.append(start_delivery_thread(seconds=deliver_seconds))
    if sweep_seconds is not None:
        started.append(start_sweep_thread(seconds=sweep_seconds))
    while not stopping.wait(1.0) and os.getppid() == parent:
        pass
    for _, stop in started:
        stop.set()
    for thread, _ in started:
        thread.join(timeout=10)
