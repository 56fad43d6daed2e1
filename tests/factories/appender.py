"""A child process for crash and concurrency tests: append notices to the node's only record.

    python appender.py KEYFILE COUNT [--quiet] [--threads N]

Settings come from the environment (DJANGO_SETTINGS_MODULE, AYLLU_DATA_DIR, AYLLU_DATABASE_URL). Each
receipt is printed as one line of exact receipt text as soon as the append has committed, so a parent
that kills this process knows which entries the node promised to keep. COUNT 0 appends forever. With
--threads N, N threads of this process each append COUNT entries (each on its own connection).
"""

import itertools
import os
import secrets
import sys
import threading
from pathlib import Path


def main() -> None:
    key_file, count = Path(sys.argv[1]), int(sys.argv[2])
    quiet = "--quiet" in sys.argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from ayllu.actions.record import do_append
    from ayllu.core.ledger.record import make_body, sign_act
    from ayllu.queries.record import list_records
    from ayllu.storage.keyfiles import read_key_file

    author = read_key_file(key_file)
    (record,) = list_records()
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    lock = threading.Lock()

    def append(count: int) -> None:
        tag = secrets.token_hex(4)
        last = None
        try:
            for i in itertools.count(1) if count == 0 else range(1, count + 1):
                body = make_body({"text": f"{tag} {i}"}, vis="public")
                signed = sign_act(author, log=record.log, type="notice.posted", body=body, nonce=f"{tag}-{i}")
                last = do_append(record.log, signed_act=signed, body=body)
                if not quiet:
                    with lock:
                        print(last.raw.decode("utf-8"), flush=True)
            if quiet and last is not None:
                with lock:
                    print(last.raw.decode("utf-8"), flush=True)
        finally:
            connection.close()

    workers = [threading.Thread(target=append, args=(count,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


if __name__ == "__main__":
    main()
