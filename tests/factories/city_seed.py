"""Put records of a three-member federation on a node, from a child process (tests/federation).

    python city_seed.py NAME...   keep a verified copy of each named record on this node: `alto`, `bajo`,
                                  `centro` (the member councils, each with its node's checkpoint), `fed`
                                  (their federation, in which each council seated a delegate citing its
                                  credential), `fed+` (the same with one more act, a notice), `alto-forged`
                                  (alto as its captured node re-sealed it: another credential at the seq
                                  the federation cites); print each record's log id

The records are built in memory the same way in every process (keys and times are fixed), so nodes that
each hold some of them hold copies of the same records.
Settings come from the environment (DJANGO_SETTINGS_MODULE, AYLLU_DATA_DIR).
"""

import os
import sys


def city(*, forged: bool = False, more: bool = False) -> dict[str, object]:
    """The member councils and their federation, in memory: {"alto", "bajo", "centro", "fed"}."""
    from factories.federations import (
        accredit,
        found_federation,
        found_home,
        give_federation_cargo,
        seat_content,
    )

    homes = {
        "alto": found_home(["ana", "bea", "carla"]),
        "bajo": found_home(["dora", "eva", "flor"]),
        "centro": found_home(["gina", "hilda", "ines"]),
    }
    fed = found_federation({"ana": homes["alto"], "dora": homes["bajo"], "gina": homes["centro"]})
    delegates = []
    for name, home in homes.items():
        delegate = give_federation_cargo(home, fed.log)
        days = 61 if forged and name == "alto" else 60
        credential = accredit(home, delegate, fed.log, days=days)
        fed.clock = max(fed.clock, home.clock)
        fed.act(delegate, "federation.seated", seat_content(home, credential))
        delegates.append(delegate)
    if more:
        fed.act(delegates[0], "notice.posted", {"text": "Minga del sábado"})
    return {**homes, "fed": fed}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ayllu.settings.dev")
    import django

    os.makedirs(os.environ["AYLLU_DATA_DIR"], mode=0o700, exist_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from factories.federations_stored import hold

    for name in sys.argv[1:]:
        records = city(forged=name == "alto-forged", more=name == "fed+")
        record = records[name.split("-")[0].rstrip("+")]
        hold(record, checkpoint=True)  # type: ignore[arg-type]
        print(record.log, flush=True)  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
    main()
