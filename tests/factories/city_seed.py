"""Put records of a three-member federation on a node, from a child process (tests/federation).

    python city_seed.py NAME...   keep a verified copy of each named record on this node: `alto`, `bajo`,
                                  `centro` (the member councils, each with its node's checkpoint), `fed`
                                  (their federation, in which each council seated a delegate citing its
                                  credential), `fed+` (the same with one more act, a notice), `alto-forged`
                                  (alto as its captured node re-sealed it: another credential at the seq
                                  the federation cites), `alto-withheld` (alto without the entry
                                  the federation cites); print each record's log id. Holding a
                                  forged or withheld alto makes this node alto's captured node: it
                                  signs with the key that seals the councils' records
    python city_seed.py sealer KEY    make this node sign with test key KEY (`fed-node`: the key that
                                      sealed the federation until it moved), before it starts
    python city_seed.py move NODE     append the federation's move to NODE (its delegates endorse it)
    python city_seed.py notice TEXT   append a seated delegate's notice to the federation

The records are built in memory the same way in every process (keys and times are fixed), so nodes that
each hold some of them hold copies of the same records.
Settings come from the environment (DJANGO_SETTINGS_MODULE, AYLLU_DATA_DIR).
"""

import os
import sys
from dataclasses import replace


def city(*, forged: bool = False, more: bool = False) -> dict[str, object]:
    """The member councils and their federation, in memory: {"alto", "bajo", "centro", "fed", "delegates"}."""
    from ayllu.core.cargos.powers import represent_in
    from factories.assemblies import create_cargo, holders
    from factories.federations import accredit, found_federation, found_home, seat_content

    homes = {
        "alto": found_home(["ana", "bea", "carla"]),
        "bajo": found_home(["dora", "eva", "flor"]),
        "centro": found_home(["gina", "hilda", "ines"]),
    }
    fed = found_federation({"ana": homes["alto"], "dora": homes["bajo"], "gina": homes["centro"]})
    delegates = []
    for name, home in homes.items():
        # Terms and credentials long enough that the seated delegates still act at the nodes' real time.
        create_cargo(home, "delegado", powers=[represent_in(fed.log)], term_days=2000)
        delegate = holders(home, "delegado")[0]
        days = 1801 if forged and name == "alto" else 1800
        credential = accredit(home, delegate, fed.log, days=days)
        fed.clock = max(fed.clock, home.clock)
        fed.act(delegate, "federation.seated", seat_content(home, credential))
        delegates.append(delegate)
    if more:
        fed.act(delegates[0], "notice.posted", {"text": "Minga del sábado"})
    return {**homes, "fed": fed, "delegates": delegates}


def append(what: str, arg: str) -> None:
    """Append to the federation held here its move to node `arg`, endorsed by the three seated delegates
    (`move`), or a seated delegate's notice `arg` (`notice`); this node seals it."""
    from ayllu.actions.record import do_append
    from ayllu.core.ledger.record import make_body, sign_act
    from ayllu.core.ledger.succession import RECORD_MOVED, build_move_content, endorse_move
    from ayllu.storage import models
    from factories.keys import keypair

    records = city()
    log, delegates = records["fed"].log, records["delegates"]  # type: ignore[attr-defined]
    if what == "move":
        head = models.Record.objects.get(log=log).head_hash
        endorsements = [endorse_move(keypair(m), log=log, node=arg, after=head) for m in delegates]  # type: ignore[attr-defined]
        content, kind = build_move_content(node=arg, after=head, endorsements=endorsements), RECORD_MOVED
    else:
        content, kind = {"text": arg}, "notice.posted"
    body = make_body(content, vis="public")
    signed = sign_act(keypair(delegates[0]), log=log, type=kind, body=body, nonce=what)  # type: ignore[index]
    print(do_append(log, signed_act=signed, body=body).raw.decode(), flush=True)


def capture(key: str = "node") -> None:
    """Make this node sign with test key `key` (the councils' node key, or the federation's:
    `fed-node`), as the node that seals those records would (before it starts)."""
    from pathlib import Path

    from django.conf import settings

    from ayllu.storage.keyfiles import create_key_file
    from factories.keys import keypair

    path = Path(settings.AYLLU_NODE_KEY_FILE)
    path.unlink(missing_ok=True)
    create_key_file(path, seed=keypair(key).seed())


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
    import django

    os.makedirs(os.environ["AYLLU_DATA_DIR"], mode=0o700, exist_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from factories.federations_stored import hold

    if sys.argv[1] == "sealer":
        capture(sys.argv[2])
        return
    if sys.argv[1] in ("move", "notice"):
        append(sys.argv[1], sys.argv[2])
        return
    for name in sys.argv[1:]:
        if name in ("alto-forged", "alto-withheld"):
            capture()
        records = city(forged=name == "alto-forged", more=name == "fed+")
        record = records[name.split("-")[0].rstrip("+")]
        if name == "alto-withheld":
            record = replace(record, entries=record.entries[:-1])  # type: ignore[type-var]
        hold(record, checkpoint=True)  # type: ignore[arg-type]
        print(record.log, flush=True)  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
    main()
