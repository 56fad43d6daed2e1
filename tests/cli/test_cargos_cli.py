"""Issue 4 from the command line: every act through `ayllu act` or `ayllu draw`, reads through `ayllu show`.

The commands run in this process on the test database (like test_assembly_cli.py); the node's clock is
moved by hand so terms, windows and deadlines pass without waiting.
"""

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from ayllu.actions.catalogue import CARGO_KINDS
from ayllu.actions.record import forget_replayed_state
from ayllu.cli.main import main
from ayllu.core.charter.rules import DAY_MS, default_charter_data
from ayllu.core.sortition import recompute_draw
from ayllu.queries.assembly import forget_assembly_states
from ayllu.storage import clock, models
from ayllu.storage.keyfiles import create_key_file

HOUSEHOLDS = {"ana": "h-ana", "bea": "h-bea", "carla": "h-carla", "dora": "h-ana", "eva": "h-bea"}
HOUSEHOLDS |= {"flor": "h-carla"}
MAJORITY = {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"}


class Cli:
    """`ayllu` in this process, with members' key files and a clock the test moves."""

    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys, self.tmp = capsys, tmp_path
        self.keys = {name: tmp_path / f"{name}.key" for name in HOUSEHOLDS}
        self.public = {name: create_key_file(path).public for name, path in self.keys.items()}
        self.name_of = {key: name for name, key in self.public.items()}
        self.now = time.time_ns() // 1_000_000
        monkeypatch.setattr(clock, "now_ms", lambda: self.now)
        self.log = ""

    def run(self, *args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = self.capsys.readouterr()
        return code, out, err

    def _seq(self, code: int, out: str, err: str) -> int:
        assert code == 0, err
        if out.startswith("waiting: "):  # an application waits outside the record until taken in
            return 0
        match = re.search(r"is entry (\d+) of record", out)
        assert match, out
        return int(match[1])

    def act(self, who: str, kind: str, *fields: str) -> int:
        return self._seq(*self.refused(who, kind, *fields))

    def refused(self, who: str, kind: str, *fields: str) -> tuple[int, str, str]:
        return self.run("act", kind, "--log", self.log, "--key", str(self.keys[who]), *fields)

    def draw(self, who: str, step: str, *fields: str) -> int:
        return self._seq(*self.run("draw", step, "--log", self.log, "--key", str(self.keys[who]), *fields))

    def show(self, what: str, *options: str) -> Any:
        code, out, err = self.run("show", what, self.log, *options)
        assert code == 0, err
        return json.loads(out)

    def decide(self, kind: str, *fields: str) -> int:
        proposal = self.act("ana", kind, "--title", "Propuesta", "--text", "", *fields)
        deadline = str(self.now + 3_600_000)
        question = self.act("ana", "open-question", "--proposal", str(proposal), "--deadline", deadline)
        for name in HOUSEHOLDS:
            self.act(name, "vote", "--question", str(question), "--choice", "yes")
        self.act("ana", "close-question", "--question", str(question))
        return proposal

    def holder(self, cargo: str) -> str:
        holdings = self.show("cargos", "--at", str(self.now))["holdings"]
        (member,) = [h["member"] for h in holdings if h["cargo"] == cargo]
        return self.name_of[member]

    def types(self) -> list[str]:
        rows = models.Entry.objects.filter(record__log=self.log).order_by("seq")
        return list(rows.values_list("type", flat=True))


@pytest.fixture
def cli(db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Six members in three households, founded with `ayllu found` and admitted with `ayllu act`."""
    forget_replayed_state()
    forget_assembly_states()
    c = Cli(tmp_path, capsys, monkeypatch)
    charter = default_charter_data()
    charter |= {
        "deliberation": {"async_ms": 0, "meeting_ms": 0, "voting_ms": 0},
        "admission": {"by": "sponsorship", "sponsors": 1},
        "methods": {**charter["methods"], "ordinary": dict(MAJORITY)},
        "terms": {"term_days": 30, "rest_terms": 0, "max_concurrent": 2},
        "cargos": {"max_per_household": 2},
        "recall": {"petition": 2, "threshold": "1/2", "voting_ms": 3_600_000},
        "concentration": {"max_single_share": "1/2"},
    }
    (tmp_path / "charter.json").write_text(json.dumps(charter))
    keys = [a for name in ("ana", "bea", "carla") for a in ("--key", str(c.keys[name]))]
    households = [a for name in ("ana", "bea", "carla") for a in ("--household", HOUSEHOLDS[name])]
    code, out, err = c.run(
        "found", "--name", "Junta", *keys, *households, "--charter", str(tmp_path / "charter.json")
    )
    assert code == 0, err
    c.log = re.search(r"of record ([0-9a-f]{64})", out)[1]  # type: ignore[index]
    for name in ("dora", "eva", "flor"):
        c.act(name, "apply", "--household", HOUSEHOLDS[name])
        c.act("carla", "sponsor", "--applicant", c.public[name])
    return c


def housemate(name: str) -> str:
    return next(n for n, h in HOUSEHOLDS.items() if h == HOUSEHOLDS[name] and n != name)


def test_cargos_turns_swaps_mandates_and_recall_from_the_command_line(cli: Cli) -> None:
    # given: a delegate cargo by turn that may also publish announcements
    c = cli
    powers = ("--powers", "represent_in:fejuve", "publish_announcements")
    c.decide("propose-cargo", "--cargo", "delegado", *powers, "--burden", "2", "--term-days", "30")
    first = c.holder("delegado")
    # when: a housemate takes the seat; two households swap the next turns (one signature is not enough)
    delegate = housemate(first)
    c.act(delegate, "take-turn", "--cargo", "delegado")
    ahead = c.show("turns", "--at", str(c.now))
    second, third = (t["holders"][0]["household"] for t in ahead[:2])
    proposer = next(n for n, h in HOUSEHOLDS.items() if h == third)
    swap = str(c.act(proposer, "propose-swap", "--cargo", "delegado", "--household", second))
    one_sided = c.refused(housemate(proposer), "accept-swap", "--swap", swap)
    c.act(next(n for n, h in HOUSEHOLDS.items() if h == second), "accept-swap", "--swap", swap)
    swapped = [t["holders"][0]["household"] for t in c.show("turns", "--at", str(c.now))[:2]]
    why = c.show("turns", "--at", str(c.now), "--household", third)
    c.decide("propose-exemption", "--household", "h-ana", "--start", str(c.now),
             "--end", str(c.now + 400 * DAY_MS), "--reason", "Cosecha")  # fmt: skip
    c.act(delegate, "announce", "--text", "Reunión de la federación el lunes")
    # mandates: the delegate cannot vote against one; reports are due
    c.decide("propose-mandate", "--body", "fejuve", "--question", "Paro", "--position", "yes")
    vote = ("--body", "fejuve", "--session", "s1", "--question", "Paro")
    contrary = c.refused(delegate, "delegate-vote", *vote, "--choice", "no")
    contrary_en = c.refused(delegate, "delegate-vote", *vote, "--choice", "no", "--lang", "en")
    c.act(delegate, "delegate-vote", *vote, "--choice", "yes")
    c.act(delegate, "request-mandate", "--body", "fejuve", "--question", "Peaje", "--text", "¿Qué llevo?")
    c.act("ana", "report-vote", "--body", "fejuve", "--session", "s0", "--question", "Paro", "--choice", "no",
          "--delegate", c.public[delegate])  # fmt: skip
    c.act("ana", "hold-session", "--body", "fejuve", "--session", "s2")
    c.act(delegate, "file-report", "--body", "fejuve", "--session", "s1", "--text", "Se votó el paro")
    mandates = c.show("mandates", "--at", str(c.now + 8 * DAY_MS))
    # recall: two signatures open the question; the recalled delegate cannot vote; it passes
    signers = [n for n in HOUSEHOLDS if n != delegate][:2]
    petition = str(c.act(signers[0], "petition-recall", "--cargo", "delegado", "--member", c.public[delegate],
                         "--reason", "No informa"))  # fmt: skip
    question = str(c.act(signers[1], "sign-recall", "--petition", petition))
    blocked = c.refused(delegate, "vote", "--question", question, "--choice", "no")
    for name in HOUSEHOLDS:
        if name != delegate:
            c.act(name, "vote", "--question", question, "--choice", "yes")
    c.act("ana", "close-question", "--question", question)
    later = c.refused(delegate, "announce", "--text", "Sigo siendo delegado")
    # then
    assert one_sided[0] == 2 and "error: not_swap_partner:" in one_sided[2]
    assert swapped == [third, second]
    assert why[0]["serves"] and why[0]["standing"]["stands_for"] == second
    assert contrary[0] == 2 and "error: contrary_to_mandate: El voto va contra el mandato" in contrary[2]
    assert "error: contrary_to_mandate: The vote goes against the assembly's mandate" in contrary_en[2]
    assert [m["position"] for m in mandates["mandates"]] == ["yes"]
    assert sorted(f["session"] for f in mandates["report_flags"]) == ["s0", "s2"]
    assert [v["flag"] for v in mandates["delegate_votes"] if not v["cast"]] == ["contrary_to_mandate"]
    (recall,) = c.show("recalls")
    assert (recall["status"], recall["question"], len(recall["signers"])) == ("adopted", int(question), 2)
    assert blocked[0] == 2 and "error: not_eligible:" in blocked[2]
    assert later[0] == 2 and "error: lacks_power:" in later[2]
    assert c.holder("delegado") != delegate
    alerts = c.show("concentration")["alerts"]
    assert any(a["message"].startswith("Concentración de propuestas por persona") for a in alerts)
    types = set(c.types())
    assert {k.type for k in CARGO_KINDS if not k.name.endswith("-draw")} <= types


def test_a_draw_is_prepared_with_leximin_committed_revealed_and_completed_from_the_command_line(
    cli: Cli,
) -> None:
    # given: a pool file with zones
    c = cli
    pool = {c.public[n]: {"zone": "norte" if i % 2 else "sur"} for i, n in enumerate(HOUSEHOLDS)}
    (c.tmp / "pool.json").write_text(json.dumps(pool))
    # when: ana prepares (LEXIMIN computed here), two commit, they reveal, eva completes with the beacon
    draw = str(c.draw("ana", "prepare", "--purpose", "Comisión de agua", "--pool", str(c.tmp / "pool.json"),
                      "--quota", "zone:norte:1:2", "--quota", "zone:sur:1:2", "--panel-size", "3",
                      "--size", "100", "--commit-until", str(c.now + 10_000),
                      "--reveal-until", str(c.now + 20_000), "--beacon", "drand-quicknet:7",
                      "--beacon-after", str(c.now + 30_000)))  # fmt: skip
    for name in ("bea", "carla"):
        c.draw(name, "commit", "--draw", draw)
    c.now += 10_001
    for name in ("bea", "carla"):
        c.draw(name, "reveal", "--draw", draw)
    c.now += 20_000
    c.draw("eva", "complete", "--draw", draw, "--beacon-value", "ab" * 32)
    # then: the panel meets the quotas and anyone recomputes it from what the record shows
    shown = c.show("draws", "--draw", draw)
    zones = [pool[m]["zone"] for m in shown["panel"]]
    assert len(zones) == 3 and 1 <= zones.count("norte") <= 2
    assert shown["withheld"] == [] and sorted(shown["reveals"]) == sorted(
        c.public[n] for n in ("bea", "carla")
    )
    from ayllu.queries.cargos import get_draw_recomputation

    again = recompute_draw(get_draw_recomputation(c.log, int(draw)).as_evidence())
    assert (again.index, list(again.panel)) == (shown["index"], shown["panel"])
    assert c.types()[-5:] == ["draw.committed", "draw.committed", "draw.revealed", "draw.revealed",
                              "draw.completed"]  # fmt: skip
    assert (c.tmp / f"bea.key.draw-{c.log[:16]}-{draw}").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "No panel of 2 people meets these quotas together: gender=f 2-2, zone=norte 2-2."),
        ("es", "Ninguna comisión de 2 personas cumple a la vez estas cuotas: gender=f 2-2, zone=norte 2-2."),
    ],
)
def test_a_draw_whose_quotas_conflict_is_explained_and_nothing_is_recorded(
    cli: Cli, lang: str, words: str
) -> None:
    # given: a pool where the members of norte are all men, and quotas asking for two of norte and two women
    c = cli
    pool = {
        c.public[n]: {"zone": "norte" if i < 3 else "sur", "gender": "m" if i < 3 else "f"}
        for i, n in enumerate(HOUSEHOLDS)
    }
    (c.tmp / "pool.json").write_text(json.dumps(pool))
    before = c.types()
    # when: ana asks the command to prepare a 2-seat draw with both quotas
    code, out, err = c.run("draw", "prepare", "--log", c.log, "--key", str(c.keys["ana"]), "--lang", lang,
                           "--purpose", "Comisión", "--pool", str(c.tmp / "pool.json"),
                           "--quota", "zone:norte:2:2", "--quota", "gender:f:2:2", "--panel-size", "2",
                           "--size", "100", "--commit-until", str(c.now + 10_000),
                           "--reveal-until", str(c.now + 20_000), "--beacon", "drand-quicknet:7",
                           "--beacon-after", str(c.now + 30_000))  # fmt: skip
    # then: it fails, names the two quotas that clash in the language asked, and records nothing
    assert code != 0 and out == ""
    assert err.startswith("error: sortition_quotas_infeasible: ") and words in err, err
    assert '"reason": "conflict"' in err
    assert c.types() == before
