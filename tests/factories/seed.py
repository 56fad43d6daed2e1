"""Write to a node's record from a child process, for federation tests and bench/replication.py.

    python seed.py found [members]  found the test assembly (three members); print its log id; with
                                    `members`, its charter keeps the record to members' nodes
    python seed.py append N [TAG]   append N public notices by the first member, in batches; print the
                                    receipt of the last one (TAG: the notices' words, any text)
    python seed.py move NODE_KEY    append `record.moved` to NODE_KEY endorsed by two of three members
    python seed.py forge HOW        write one members-only entry past the rules, straight into the
                                    database, and sign a checkpoint over it: HOW is `rogue_node`
                                    (sealed by a key that is not the node's), `non_member` (signed by
                                    a key that is no member's), `unknown_type`, or `future`
                                    (a member's notice dated centuries ahead)

Settings come from the environment (DJANGO_SETTINGS_MODULE, AYLLU_DATA_DIR).
"""

import hashlib
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ayllu.core.ledger.keys import Keypair


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
        from ayllu.core.charter.rules import default_charter_data

        charter = default_charter_data()
        if sys.argv[2:] == ["members"]:
            charter["record"] = {"replicas": "members"}
        signed, body = founding_act(households(members), charter=charter)
        do_found_assembly(signed_act=signed, body=body)
        print(signed.act.log, flush=True)
        return
    (record,) = list_records()
    if command == "append":
        count, tag = int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "t"
        # A nonce holds a few ASCII characters only: a tag of any other words is named by its hash.
        nonce_tag = tag if tag.isascii() and tag.isalnum() else hashlib.sha256(tag.encode()).hexdigest()[:16]
        receipt = None
        for start in range(0, count, 1000):
            items = []
            for i in range(start, min(start + 1000, count)):
                body = make_body({"text": f"{tag} {i}"}, vis="public")
                signed = sign_act(
                    members[0], log=record.log, type="notice.posted", body=body, nonce=f"{nonce_tag}-{i}"
                )
                items.append((signed, body))
            receipt = do_append_many(record.log, items=items)
        if receipt is not None:
            print(receipt.raw.decode(), flush=True)
    elif command == "forge":
        forge(record.log, sys.argv[2])
    elif command == "move":
        node = sys.argv[2]
        head = models.Record.objects.get(log=record.log).head_hash
        endorsements = [endorse_move(m, log=record.log, node=node, after=head) for m in members[:2]]
        body = make_body(build_move_content(node=node, after=head, endorsements=endorsements), vis="public")
        signed = sign_act(members[0], log=record.log, type=RECORD_MOVED, body=body, nonce=f"move-{node[:8]}")
        print(do_append(record.log, signed_act=signed, body=body).raw.decode(), flush=True)


def forge(log: str, how: str, member: "Keypair | None" = None) -> None:
    """Write one entry that breaks a rule as if the node had sealed it, bypassing the write path; a
    member's own acts are signed by `member` (the demo's Ana, or test key "ana", by default)."""
    from pathlib import Path

    from ayllu.actions.record import do_sign_checkpoint, node_keypair
    from ayllu.core.assembly.acts import split_body
    from ayllu.core.assembly.notices import NoticePosted
    from ayllu.core.ledger.merkle import Frontier
    from ayllu.core.ledger.record import parse_entry, seal_entry, sign_act
    from ayllu.storage import models, served, writes
    from ayllu.storage.keyfiles import read_key_file
    from factories.keys import keypair

    if member is None:
        demo_key = Path(os.environ.get("AYLLU_DATA_DIR", ".")) / "demo-members" / "ana.key"
        member = read_key_file(demo_key) if demo_key.exists() else keypair("ana")
    author = keypair("stranger") if how == "non_member" else member
    sealer = keypair("rogue-node") if how == "rogue_node" else node_keypair()
    kind = "spell.cast" if how == "unknown_type" else NoticePosted.type
    body = split_body(NoticePosted, {"text": f"forged: {how}"}, vis="members")
    signed = sign_act(author, log=log, type=kind, body=body, nonce=f"forged-{how}")
    record = models.Record.objects.get(log=log)
    last = models.Entry.objects.filter(record=record, seq=record.head_seq).values_list("header", flat=True)
    time = 10**13 if how == "future" else parse_entry(bytes(last.get())).time + 1000
    entry = seal_entry(signed, seq=record.head_seq + 1, prev=record.head_hash, time=time, node=sealer)
    writes.insert_entries(
        record, [(entry.seq, entry.hash, entry.raw, signed.act.id(), entry.type, entry.author)]
    )
    assert body.words is not None
    writes.insert_bodies(record, [(*body.key, body.raw), (*body.words.key, body.words.raw)])
    frontier = Frontier.from_json(record.frontier).append(entry.hash)
    # A node that holds its own key can move its seal too (storage/served.py): it serves the forged
    # entry as its own, and only other replicas can refuse it.
    served.extend_seal(record, frontier=frontier, head=entry.hash)
    models.Record.objects.filter(pk=record.pk).update(
        head_seq=entry.seq, head_hash=entry.hash, frontier=frontier.as_json()
    )
    do_sign_checkpoint(log)
    print(entry.seq, flush=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
    main()
