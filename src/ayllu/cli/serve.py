"""`ayllu serve`: the WSGI app under granian, with static files served by granian itself."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def serve(*, host: str, port: int, threads: int) -> int:
    """Collect static files, then serve `ayllu.wsgi:application` until interrupted."""
    from granian.constants import Interfaces
    from granian.server import Server

    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"serving http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    Server(
        "ayllu.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        blocking_threads=threads,
        static_path_route=[settings.STATIC_URL.rstrip("/")],
        static_path_mount=[Path(settings.STATIC_ROOT)],
    ).serve()
    return 0
