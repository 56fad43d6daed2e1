"""One serving process of a node on PostgreSQL, driven line by line by tests/web/test_version_watch.py.

    python version_worker.py

Settings come from the environment (DJANGO_SETTINGS_MODULE, AYLLU_DATA_DIR, AYLLU_DATABASE_URL); the
node holds one record (seed.py found). Each command read from stdin is answered with one JSON line:

    listen          start the listener, wait until it is heard: {"heard": count}
    listen-nowhere  start a listener whose server refuses it (a closed port): {"heard": null}
    page            the record's home as a new outsider: {"status", "etag", "statements"}
    held            the same, the last page's ETag held (If-None-Match)
    append          a notice by the first member, through the write path of this process: {"seq"}
    wait-change     wait up to 10 s for the version heard to change: {"heard": count or null}
    wait-unheard    wait up to 10 s until nothing is heard: {"heard": count or null}
    stop            stop the listener: {"threads": names of this process's threads}

The listener reads the version again only every 60 s and tries again after a lost connection only after
60 s: within a test, only a notification or a write of this process changes what it heard.
"""

import functools
import json
import secrets
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the factories


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from ayllu.actions.record import do_append
    from ayllu.core.ledger.record import make_body, sign_act
    from ayllu.queries.record import list_records
    from ayllu.storage import version_watch
    from factories.records import MEMBERS
    from factories.statements import statements

    settings.ALLOWED_HOSTS = ["testserver"]
    version_watch.HEARTBEAT, version_watch.TRUSTED_FOR, version_watch.RETRY = 60.0, 120.0, 60.0
    (record,) = list_records()
    url = reverse("web:assembly", args=[record.log])
    etag = ""

    def heard() -> int | None:
        found = version_watch.heard_records_version()
        return None if found is None else found.count

    def wait(until: Any) -> int | None:
        deadline = time.monotonic() + 10
        while not until() and time.monotonic() < deadline:
            time.sleep(0.005)
        return heard()

    for line in sys.stdin:
        command = line.strip()
        answer: dict[str, Any] = {}
        if command == "listen":
            version_watch.watch_records_version()
            answer["heard"] = wait(lambda: heard() is not None)
        elif command == "listen-nowhere":
            version_watch._listener_params = functools.partial(_nowhere, version_watch._listener_params)
            version_watch.watch_records_version()
            time.sleep(0.5)  # its first try has failed by then
            answer["heard"] = heard()
        elif command in ("page", "held"):
            headers = {"if-none-match": etag} if command == "held" else {}
            with statements() as seen:
                response = Client().get(url, headers=headers)
            etag = response.headers.get("ETag", "")
            answer |= {"status": response.status_code, "etag": etag, "statements": len(seen)}
        elif command == "append":
            tag = secrets.token_hex(4)
            body = make_body({"text": f"written here {tag}"}, vis="public")
            signed = sign_act(MEMBERS[0], log=record.log, type="notice.posted", body=body, nonce=tag)
            answer["seq"] = do_append(record.log, signed_act=signed, body=body).seq
        elif command == "wait-change":
            answer["heard"] = wait(functools.partial(_changed, heard, heard()))
        elif command == "wait-unheard":
            answer["heard"] = wait(lambda: heard() is None)
        elif command == "stop":
            version_watch.stop_watching_records_version()
            answer["threads"] = sorted(t.name for t in threading.enumerate())
        print(json.dumps(answer), flush=True)


def _nowhere(params: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    return {**params(), "port": 1, "connect_timeout": 1}


def _changed(heard: Callable[[], int | None], before: int | None) -> bool:
    return heard() != before


if __name__ == "__main__":
    main()
