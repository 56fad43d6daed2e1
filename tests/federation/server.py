"""A node's web app on a loopback port, for federation tests: `python server.py PORT`.

Settings come from the environment (DJANGO_SETTINGS_MODULE, AYLLU_DATA_DIR). It migrates, prints
"ready" and serves with the standard library's threading WSGI server until killed. `ayllu serve`
(granian) serves the same application; this one starts in a fraction of the time.
"""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    port = int(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
    import django

    os.makedirs(os.environ["AYLLU_DATA_DIR"], mode=0o700, exist_ok=True)
    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    server = make_server("127.0.0.1", port, get_wsgi_application(), _Server, _Quiet)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
