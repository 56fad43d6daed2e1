"""A child process for the concurrency test: 50 threads send one member's vote to the API at once.

    python concurrent_votes.py

Settings come from the environment (AYLLU_DATA_DIR, AYLLU_DATABASE_URL). Half the threads send the same
signed vote, the other half votes with nonces of their own (different acts, same member). Prints one
JSON object: the status and code of every answer, and what the record and its replay hold afterwards.
"""

import json
import os
import sys
import threading
import time
from collections import Counter
from typing import Any

THREADS = 50


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
    os.makedirs(os.environ["AYLLU_DATA_DIR"], mode=0o700, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from ayllu.actions.assembly import check_submit_act
    from ayllu.actions.catalogue import ACT_KINDS, sign_kind
    from ayllu.actions.record import do_found_assembly
    from ayllu.core.charter.rules import default_charter_data
    from ayllu.queries.assembly import get_question
    from ayllu.storage import models
    from factories.keys import keypair
    from factories.records import founding_act

    call_command("migrate", verbosity=0)
    ana, bea, carla = (keypair(i) for i in (1, 2, 3))
    charter = default_charter_data()
    charter["deliberation"] = {"async_ms": 0, "meeting_ms": 0, "voting_ms": 0}
    now = time.time_ns() // 1_000_000
    signed, body = founding_act(
        [(ana, "h-ana"), (bea, "h-bea"), (carla, "h-carla")], name="Junta", founded_at=now, charter=charter
    )
    do_found_assembly(signed_act=signed, body=body)
    log = signed.act.log

    def submit(kind: str, nonce: str, **values: Any) -> int:
        signed, _ = sign_kind(ana, log, kind=ACT_KINDS[kind], values=values, nonce=nonce)
        receipt = check_submit_act(
            log, kind=ACT_KINDS[kind], values=values, author=ana.public, nonce=nonce, asig=signed.asig
        )
        return receipt.receipt.seq

    proposal = submit("table", "p", matter="ordinary", title="Agua", text="")
    question = submit("open-question", "q", proposal=proposal, deadline=now + 3_600_000)
    connection.close()

    def request(i: int) -> dict[str, Any]:
        nonce = "same" if i % 2 else f"own-{i}"
        values = {"question": question, "choice": "consent"}
        signed, _ = sign_kind(ana, log, kind=ACT_KINDS["vote"], values=values, nonce=nonce)
        return {"choice": "consent", "author": ana.public, "nonce": nonce, "asig": signed.asig}

    bodies = [request(i) for i in range(THREADS)]
    answers: list[tuple[int, str]] = []
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()

    def vote(body: dict[str, Any]) -> None:
        client = Client(HTTP_HOST="localhost")
        barrier.wait()
        try:
            response = client.post(
                f"/api/assemblies/{log}/questions/{question}/votes", body, content_type="application/json"
            )
            answer = (response.status_code, response.json().get("code", ""))
        finally:
            connection.close()
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=vote, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    votes = models.Entry.objects.filter(record__log=log, type="vote.cast").count()
    print(
        json.dumps(
            {
                "answers": sorted(f"{status} {code}" for status, code in answers),
                "counts": Counter(status for status, _ in answers),
                "vote_entries": votes,
                "voted": get_question(log, question).voted,
                "record_size": models.Record.objects.get(log=log).head_seq,
            }
        )
    )


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/, for factories
    main()
