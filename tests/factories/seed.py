"""Write to a node's record from a child process, for federation tests and bench/replication.py.

    python seed.py found            found the test assembly (three members); print its log id
    python seed.py append N [TAG]   append N public notices by the first member, in batches; print the
                                    receipt of the last one
    python seed.py move NODE_KEY    append `record.moved` to NODE_KEY endorsed by two of three members

Settings come from the environment (DJANGO_SETTINGS_MODULE, AYLLU_DATA_DIR).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
    import django

    os.makedirs(os.environ["AYLLU_DATA_DIR"], mode=0o700, exist_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from ayllu.actions.record import do_append, do_append_many, do_found_assembly
    from ayllu.core.ledger.record import make_body, sign_act
    from ayllu.core.ledger.succession import RECORD_MOVED, build_move_content, endorse_move
    from ayllu.queries.record import list_records
    from ayllu.storage import models
    from factories.records import MEMBERS, founding_act, households

    members = MEMBERS
    command = sys.argv[1]
    if command == "found":
        signed, body = founding_act(households(members))
        do_found_assembly(signed_act=signed, body=body)
        print(signed.act.log, flush=True)
        return
    (record,) = list_records()
    if command == "append":
        count, tag = int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "t"
        receipt = None
        for start in range(0, count, 1000):
            items = []
            for i in range(start, min(start + 1000, count)):
                body = make_body({"text": f"{tag} {i}"}, vis="public")
                signed = sign_act(
                    members[0], log=record.log, type="notice.posted", body=body, nonce=f"{tag}-{i}"
                )
                items.append((signed, body))
            receipt = do_append_many(record.log, items=items)
        if receipt is not None:
            print(receipt.raw.decode(), flush=True)
    elif command == "move":
        node = sys.argv[2]
        head = models.Record.objects.get(log=record.log).head_hash
        endorsements = [endorse_move(m, log=record.log, node=node, after=head) for m in members[:2]]
        body = make_body(build_move_content(node=node, after=head, endorsements=endorsements), vis="public")
        signed = sign_act(members[0], log=record.log, type=RECORD_MOVED, body=body, nonce=f"move-{node[:8]}")
        print(do_append(record.log, signed_act=signed, body=body).raw.decode(), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
    main()
