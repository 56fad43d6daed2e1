"""`ayllu serve`: the web app under granian, with static files served by granian itself.

Granian speaks ASGI to `ayllu.asgi`, which reads each request's body in full, within a time limit,
before one of `threads` threads runs Django's WSGI app: a client sending its body slowly holds no
thread. Granian itself drops a connection whose headers take longer than
`AYLLU_REQUEST_HEADER_SECONDS`.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def serve(*, host: str, port: int, threads: int, deliver: bool = True) -> int:
    """Collect static files, then serve `ayllu.asgi:application` until interrupted; unless `deliver` is
    False or AYLLU_DELIVER_IN_SERVE is "0", notifications are delivered by a thread of this process, and
    another sweeps the rows the node serves (storage/served.py)."""
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    call_command("collectstatic", interactive=False, verbosity=0)
    os.environ["AYLLU_SERVE_THREADS"] = str(threads)  # read by ayllu.asgi in the worker process
    if deliver and settings.AYLLU_DELIVER_IN_SERVE:
        from ayllu.notify.delivery import start_delivery_thread

        # In the main process, beside granian's workers: one deliverer per node, not one per worker.
        start_delivery_thread(seconds=settings.AYLLU_DELIVER_SECONDS)
    if settings.AYLLU_SERVED_SWEEP_ROWS > 0:
        from ayllu.storage.served import start_sweep_thread

        # Also in the main process, once per node: requests only compare heads (docs/decisions/0026).
        start_sweep_thread(seconds=float(settings.AYLLU_SERVED_SECONDS))
    print(f"serving http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    header_ms = int(float(settings.AYLLU_REQUEST_HEADER_SECONDS) * 1000)
    Server(
        "ayllu.asgi:application",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        http1_settings=HTTP1Settings(header_read_timeout=header_ms),
        static_path_route=[settings.STATIC_URL.rstrip("/")],
        static_path_mount=[Path(settings.STATIC_ROOT)],
    ).serve()
    return 0
