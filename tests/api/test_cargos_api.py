"""Issue 4 through the API: cargos by turn, swaps, mandates, reports, recall, draws and concentration.

Every act is signed by the member's test key and posted to its typed endpoint; each test asserts the
answer, the reads and the record. The node's clock is moved by hand (`clock`), so terms, deadlines and
draw windows pass without waiting.
"""

import time
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ayllu.actions.catalogue import CARGO_KINDS
from ayllu.api.cargos import CARGO_ROUTES
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.proposals.tabling import ProposalTabled
from ayllu.core.sortition import Quota, commitment_for, recompute_draw
from ayllu.core.sortition.preparation import prepare_draw
from ayllu.storage import clock as node_clock
from factories.api import ApiAssembly
from factories.charters import instant_charter
from factories.keys import pub

MAJORITY = {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"}
HOUSEHOLD_OF = {"ana": "h-ana", "bea": "h-bea", "carla": "h-carla", "dora": "h-ana", "eva": "h-bea"}
HOUSEHOLD_OF |= {"flor": "h-carla"}
NAME_OF = {pub(name): name for name in HOUSEHOLD_OF}
BEACON = {"source": "drand-quicknet", "round": 7, "value": "ab" * 32}


@dataclass
class Clock:
    now: int

    def advance(self, ms: int) -> int:
        self.now += ms
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The node's clock, moved by the test."""
    moved = Clock(time.time_ns() // 1_000_000)
    monkeypatch.setattr(node_clock, "now_ms", lambda: moved.now)
    return moved


def cargo_charter() -> dict[str, Any]:
    methods = {**instant_charter()["methods"], "ordinary": dict(MAJORITY)}
    return instant_charter(
        methods=methods,
        terms={"term_days": 30, "rest_terms": 0, "max_concurrent": 2},
        cargos={"max_per_household": 2},
        recall={"petition": 2, "threshold": "1/2", "voting_ms": 3_600_000},
        concentration={"max_single_share": "1/2"},
    )


@pytest.fixture
def six(api: Client, clock: Clock) -> ApiAssembly:
    """Six members in three households (ana convenes, bea keeps the minutes since founding)."""
    asm = ApiAssembly.found(api, ["ana", "bea", "carla"], charter=cargo_charter())
    for name in ("dora", "eva", "flor"):
        asm.ok(name, "apply", household=HOUSEHOLD_OF[name])
        asm.ok("carla", "sponsor", applicant=pub(name))
    return asm


def decide(asm: ApiAssembly, clock: Clock, kind: str, **values: Any) -> int:
    """Table a proposal of issue 4 by ana, every member votes yes, close it; return the proposal id."""
    proposal = asm.ok("ana", kind, title="Propuesta", text="", **values)
    question = asm.ok("ana", "open-question", proposal=proposal, deadline=clock.now + 3_600_000)
    for name in HOUSEHOLD_OF:
        asm.ok(name, "vote", question=question, choice="yes")
    asm.ok("ana", "close-question", question=question)
    assert asm.get(f"/proposals/{proposal}").json()["status"] == "adopted"
    return proposal


def holders(asm: ApiAssembly, cargo: str, at: int) -> list[str]:
    found = asm.get(f"/holdings?at={at}").json()
    return sorted(NAME_OF[h["member"]] for h in found if h["cargo"] == cargo)


def housemate(name: str) -> str:
    return next(n for n, h in HOUSEHOLD_OF.items() if h == HOUSEHOLD_OF[name] and n != name)


def error(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def test_a_cargo_created_by_decision_is_filled_by_turn_and_a_housemate_takes_the_seat(
    six: ApiAssembly, clock: Clock
) -> None:
    # given: the assembly creates a press cargo filled by turn
    decide(
        six, clock, "propose-cargo", cargo="prensa", powers=["publish_announcements"], burden=1, term_days=30
    )
    (first,) = holders(six, "prensa", clock.now)
    cargos = {c["cargo"]: c for c in six.get("/cargos").json()}
    # when: the other member of the serving household takes the seat, then publishes
    taker = housemate(first)
    held_before = six.get(f"/members/{pub(taker)}/powers?at={clock.now}").json()
    six.ok(taker, "take-turn", cargo="prensa")
    announced = six.ok(taker, "announce", text="Corte de agua el martes")
    refused = six.act(first, "announce", text="Ya no tengo el cargo")
    # then
    assert cargos["prensa"]["powers"] == ["publish_announcements"] and cargos["prensa"]["by_turn"]
    assert holders(six, "prensa", clock.now) == [taker]
    # (the taker may also hold a cargo since the founding: the seat adds exactly the press's power)
    assert six.get(f"/members/{pub(taker)}/powers?at={clock.now}").json() == [
        *held_before,
        {"cargo": "prensa", "power": "publish_announcements"},
    ]
    assert error(refused) == (409, "lacks_power")
    assert six.types()[announced - 1] == "announcement.published" and six.size() == announced


def test_a_swap_needs_a_signature_from_each_household(six: ApiAssembly, clock: Clock) -> None:
    # given: a cargo by turn; its next two terms (after the current one) go to two other households
    decide(six, clock, "propose-cargo", cargo="agua", powers=["coordinate_work"], burden=1, term_days=30)
    ahead = [t for t in six.get(f"/turns?at={clock.now}").json() if t["cargo"] == "agua"]
    second, third = ahead[0]["holders"][0]["household"], ahead[1]["holders"][0]["household"]
    proposer = next(n for n, h in HOUSEHOLD_OF.items() if h == third)
    swap = six.ok(proposer, "propose-swap", cargo="agua", household=second)
    # when: the proposer's own household "accepts" (one household's signature only), then the other does
    one_sided = six.act(housemate(proposer), "accept-swap", swap=swap)
    unchanged = [t for t in six.get(f"/turns?at={clock.now}").json() if t["cargo"] == "agua"]
    acceptor = next(n for n, h in HOUSEHOLD_OF.items() if h == second)
    six.ok(acceptor, "accept-swap", swap=swap)
    swapped = [t for t in six.get(f"/turns?at={clock.now}").json() if t["cargo"] == "agua"]
    # then
    assert error(one_sided) == (409, "not_swap_partner")
    assert unchanged[0]["holders"][0]["household"] == second
    assert (swapped[0]["holders"][0]["household"], swapped[1]["holders"][0]["household"]) == (third, second)
    assert six.types().count("cargo.swap_accepted") == 1
    why = six.get(f"/households/{third}/turns?at={clock.now}").json()
    assert [(w["serves"], w["standing"]["stands_for"]) for w in why if w["start"] == swapped[0]["start"]] == [
        (True, second)
    ]


def test_an_exemption_bars_a_household_from_the_turn_order(six: ApiAssembly, clock: Clock) -> None:
    # given
    decide(six, clock, "propose-cargo", cargo="agua", powers=["coordinate_work"], burden=1, term_days=30)
    # when
    decide(
        six, clock, "propose-exemption", household="h-bea", start=clock.now, end=clock.now + 400 * DAY_MS,
        reason="Cuidado de un familiar",
    )  # fmt: skip
    # then
    turns = [t for t in six.get(f"/turns?at={clock.now}").json() if t["cargo"] == "agua"]
    later = turns[1:]
    assert later and all("h-bea" not in [h["household"] for h in t["holders"]] for t in later)
    bea = next(s for s in later[0]["standings"] if s["household"] == "h-bea")
    assert "exempt" in bea["barred"]


def _delegate(six: ApiAssembly, clock: Clock) -> str:
    decide(
        six, clock, "propose-cargo", cargo="delegado", powers=["represent_in:fejuve"], burden=2, term_days=30
    )
    (delegate,) = holders(six, "delegado", clock.now)
    return delegate


def test_a_delegate_carries_the_mandate_reports_back_and_overdue_reports_are_flagged(
    six: ApiAssembly, clock: Clock
) -> None:
    # given: a delegate to the federation and the assembly's position on a question there
    delegate = _delegate(six, clock)
    decide(six, clock, "propose-mandate", body="fejuve", question="Paro cívico", position="yes")
    size = six.size()
    # when: the delegate votes against the mandate (in Spanish and in English), then with it
    contrary_es = six.act(delegate, "delegate-vote", body="fejuve", session="s1", question="Paro cívico",
                          choice="no")  # fmt: skip
    contrary_en = six.act(delegate, "delegate-vote", body="fejuve", session="s1", question="Paro cívico",
                          choice="no", lang="en")  # fmt: skip
    six.ok(delegate, "delegate-vote", body="fejuve", session="s1", question="Paro cívico", choice="yes")
    unmandated = six.act(
        delegate, "delegate-vote", body="fejuve", session="s1", question="Peaje", choice="no"
    )
    six.ok(delegate, "delegate-vote", body="fejuve", session="s1", question="Peaje", choice="abstain")
    six.ok(delegate, "request-mandate", body="fejuve", question="Peaje", text="¿Qué posición llevo?")
    six.ok("ana", "report-vote", body="fejuve", session="s0", question="Paro cívico", choice="no",
           delegate=pub(delegate))  # fmt: skip
    six.ok("ana", "hold-session", body="fejuve", session="s2")
    outsider = six.act(housemate(delegate), "file-report", body="fejuve", session="s1", text="Informe")
    six.ok(delegate, "file-report", body="fejuve", session="s1", text="Se votó el paro cívico")
    # then: the contrary vote was refused with a stable code and words in each language; nothing written
    assert error(contrary_es) == (409, "contrary_to_mandate")
    assert contrary_es.json()["message"] == (
        "El voto va contra el mandato de la asamblea: en esta cuestión su posición es A favor."
    )
    assert contrary_en.json()["message"] == (
        "The vote goes against the assembly's mandate: on this question its position is In favour."
    )
    assert contrary_es.json()["detail"]["position"] == "yes"
    assert error(unmandated) == (409, "no_mandate") and error(outsider) == (409, "not_delegate")
    assert six.types()[size:].count("delegate.voted") == 2
    mandates = six.get("/mandates").json()
    assert [(m["body"], m["question"], m["position"]) for m in mandates["mandates"]] == [
        ("fejuve", "Paro cívico", "yes")
    ]
    assert [r["question"] for r in mandates["requests"]] == ["Peaje"]
    flagged = six.get("/delegate-votes?flagged=true").json()
    assert [(v["delegate"], v["flag"], v["cast"]) for v in flagged] == [
        (pub(delegate), "contrary_to_mandate", False)
    ]
    # the reported session s0 and the held session s2 have no report: overdue once 7 days pass
    assert six.get(f"/report-flags?at={clock.now}").json() == []
    overdue = six.get(f"/report-flags?at={clock.now + 8 * DAY_MS}").json()
    assert sorted(f["session"] for f in overdue) == ["s0", "s2"]
    sessions = {s["session"]: s for s in six.get(f"/sessions?at={clock.now}").json()}
    assert sessions["s1"]["report_by"] == pub(delegate) and not sessions["s1"]["overdue"]


def test_a_recall_by_petition_removes_the_holder_who_cannot_block_it(six: ApiAssembly, clock: Clock) -> None:
    # given: a delegate, and two members who want them recalled
    delegate = _delegate(six, clock)
    signers = [n for n in ("carla", "dora", "eva", "flor") if n != delegate][:2]
    petition = six.ok(signers[0], "petition-recall", cargo="delegado", member=pub(delegate),
                      reason="No informa")  # fmt: skip
    collecting = six.get("/recalls").json()
    # when: the second signature reaches the charter's threshold; the members vote; it closes
    opened = six.ok(signers[1], "sign-recall", petition=petition)
    blocked = six.act(delegate, "vote", question=opened, choice="no")
    for name in HOUSEHOLD_OF:
        if name != delegate:
            six.ok(name, "vote", question=opened, choice="yes")
    six.ok("ana", "close-question", question=opened)
    later = six.act(delegate, "delegate-vote", body="fejuve", session="s9", question="Paro", choice="abstain")
    # then
    assert [(p["status"], len(p["signers"]), p["needed"]) for p in collecting] == [("collecting", 1, 2)]
    recall = six.get("/recalls?everything=true").json()[0]
    assert (recall["question"], recall["status"]) == (opened, "adopted")
    assert error(blocked) == (409, "not_eligible")
    assert six.get(f"/questions/{opened}").json()["outcome"]["result"] == "passed"
    after = holders(six, "delegado", clock.now)
    assert delegate not in after and len(after) == 1
    assert error(later) == (409, "not_delegate")
    assert six.types()[-1] == "question.closed"


def test_a_draw_is_prepared_committed_revealed_completed_and_recomputed_from_the_api(
    six: ApiAssembly, clock: Clock
) -> None:
    # given: a pool with zones, the LEXIMIN lottery computed off the record by the preparer
    pool = {pub(n): {"zone": "norte" if i % 2 else "sur"} for i, n in enumerate(HOUSEHOLD_OF)}
    quotas = [Quota("zone", "norte", 1, 2), Quota("zone", "sur", 1, 2)]
    prepared = prepare_draw(pool, quotas=quotas, panel_size=3, size=100)
    beacons = {"beacon_chain": [{k: BEACON[k] for k in ("source", "round")}]}
    windows = {"commit_until": clock.now + 10_000, "reveal_until": clock.now + 20_000}
    draw = six.ok("ana", "prepare-draw", purpose="Comisión de agua", **prepared, **windows, **beacons,
                  beacon_after=clock.now + 30_000)  # fmt: skip
    secrets = {n: bytes([i + 1]) * 32 for i, n in enumerate(("bea", "carla", "dora"))}
    for name, secret in secrets.items():
        commitment = commitment_for(secret, lottery=prepared["lottery_hash"], member=pub(name))
        six.ok(name, "commit-draw", draw=draw, commitment=commitment)
    clock.advance(10_001)
    for name in ("bea", "carla"):  # dora withholds
        six.ok(name, "reveal-draw", draw=draw, secret=secrets[name].hex())
    clock.advance(20_000)
    # when: anyone recomputes the panel from the API's evidence alone and completes the draw
    evidence = six.get(f"/draws/{draw}/evidence").json()
    result = recompute_draw({**evidence, "beacon": BEACON})
    wrong = six.act("eva", "complete-draw", draw=draw, index=(result.index + 1) % 100,
                    panel=list(result.panel), beacon=BEACON)  # fmt: skip
    six.ok("eva", "complete-draw", draw=draw, index=result.index, panel=list(result.panel), beacon=BEACON)
    # then
    assert error(wrong) == (409, "draw_bad_evidence")
    shown = six.get(f"/draws/{draw}").json()
    assert (shown["index"], shown["panel"]) == (result.index, list(result.panel))
    assert shown["withheld"] == [pub("dora")]
    # and the rounding's figures went through the API into the record
    assert (shown["largest_shift_ppm"], shown["lowest_chance_ppm"]) == (
        prepared["largest_shift_ppm"],
        prepared["lowest_chance_ppm"],
    )
    again = recompute_draw(six.get(f"/draws/{draw}/evidence").json())
    assert (again.index, again.panel) == (result.index, result.panel)
    zones = [pool[m]["zone"] for m in shown["panel"]]
    assert len(zones) == 3 and 1 <= zones.count("norte") <= 2
    chances = shown["chances"]
    assert sum(c["per_mille"] for c in chances.values()) == 3000
    assert six.types().count("draw.completed") == 1 and six.types().count("draw.revealed") == 2


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "No panel of 2 people meets these quotas together: gender=f 2-2, zone=norte 2-2."),
        ("es", "Ninguna comisión de 2 personas cumple a la vez estas cuotas: gender=f 2-2, zone=norte 2-2."),
    ],
)
def test_a_draw_whose_quotas_conflict_is_refused_naming_the_quotas(
    six: ApiAssembly, clock: Clock, lang: str, words: str
) -> None:
    # given: a pool where the members of norte are all men, a list of 2-seat panels made without quotas,
    # and quotas asking for two of norte and two women (no panel meets both)
    pool = {pub(n): {"zone": "norte" if i < 3 else "sur", "gender": "m" if i < 3 else "f"}
            for i, n in enumerate(HOUSEHOLD_OF)}  # fmt: skip
    prepared = prepare_draw(pool, quotas=[], panel_size=2, size=100)
    quotas = [{"category": "zone", "feature": "norte", "min": 2, "max": 2},
              {"category": "gender", "feature": "f", "min": 2, "max": 2}]  # fmt: skip
    before = six.size()
    # when: ana records the draw with those quotas
    answer = six.act("ana", "prepare-draw", lang=lang, purpose="Comisión", **{**prepared, "quotas": quotas},
                     commit_until=clock.now + 10_000, reveal_until=clock.now + 20_000,
                     beacon_chain=[{"source": "drand-quicknet", "round": 7}],
                     beacon_after=clock.now + 30_000)  # fmt: skip
    # then: the rules refuse it, saying which quotas clash (not that a panel breaks one), nothing recorded
    assert error(answer) == (409, "draw_quotas_infeasible")
    body = answer.json()
    assert body["message"].startswith(words)
    detail = body["detail"]
    assert detail["reason"] == "conflict" and detail["panel_size"] == 2
    assert detail["quotas"] == "gender=f 2-2, zone=norte 2-2"
    assert (detail["category"], detail["feature"]) == ("gender", "f")
    assert six.size() == before


def test_the_concentration_report_raises_the_charters_alert_in_the_request_language(
    six: ApiAssembly, clock: Clock
) -> None:
    # given: ana tables every proposal; the charter alerts when one holds more than half of anything
    decide(six, clock, "propose-cargo", cargo="agua", powers=["coordinate_work"], burden=1, term_days=30)
    decide(six, clock, "propose-mandate", body="fejuve", question="Paro", position="yes")
    # when
    spanish = six.get("/concentration").json()
    english = six.get("/concentration", lang="en").json()
    # then
    proposals = next(
        m for m in spanish["measures"] if (m["kind"], m["unit"]) == ("proposal_tabled", "person")
    )
    assert proposals["shares"][0] == {"id": pub("ana"), "value": "1/1", "per_mille": 1000}
    alert = next(a for a in spanish["alerts"] if (a["kind"], a["unit"]) == ("proposal_tabled", "person"))
    assert alert["code"] == "single_share_above_threshold" and alert["threshold"]["value"] == "1/2"
    assert alert["message"] == (
        "Concentración de propuestas por persona: una sola concentra el 100 %, por encima del 50 % del "
        "estatuto."
    )
    assert "one alone holds 100%" in english["alerts"][spanish["alerts"].index(alert)]["message"]
    terms = next(m for m in spanish["measures"] if (m["kind"], m["unit"]) == ("role_term", "household"))
    assert terms["total"] >= 3


def test_every_issue_4_act_has_an_endpoint_and_reads_answer_for_an_empty_assembly(six: ApiAssembly) -> None:
    # given
    paths = ("/cargos", "/holdings", "/turns", "/recalls", "/mandates", "/sessions", "/report-flags",
             "/delegate-votes", "/draws", "/concentration")  # fmt: skip
    # when
    reads = [six.get(path) for path in paths]
    missing = six.get("/draws/99")
    nobody = six.get("/households/h-nadie/turns")
    # then
    # (the proposals of a cargo, an exemption and a mandate are forms of tabling a proposal)
    # (an erasure's proposal is a form too, routed under the entry it names: api/acts.py)
    # (a resolution's and a ratification's proposals are routed with ratification's acts: api/acts.py)
    forms = {form.name for form in ProposalTabled.forms} - {
        "propose-erasure",
        "propose-resolution",
        "propose-ratification",
    }
    issue_4 = {kind.name for kind in CARGO_KINDS} | forms
    assert {name for name, _, _ in CARGO_ROUTES} == issue_4
    assert [r.status_code for r in reads] == [200] * len(paths)
    assert error(missing) == (404, "unknown_draw") and error(nobody) == (404, "not_found")


def test_the_charter_reads_its_cargo_recall_and_concentration_settings_in_words(six: ApiAssembly) -> None:
    # when
    spanish = {m["id"]: m["text"] for m in six.get("/charter").json()["messages"]}
    english = {m["id"]: m["text"] for m in six.get("/charter", lang="en").json()["messages"]}
    # then
    assert spanish["charter.concentration.max_single_share"] == (
        "Se da una alerta cuando una sola persona o familia concentra más de 1 de cada 2 cargos, propuestas, "
        "turnos de palabra o mandatos."
    )
    assert english["charter.recall.voting"] == (
        "A recall stays open to vote for 1 hour; the person recalled does not vote on it."
    )
    assert spanish["charter.recall.voting"] == (
        "Una revocatoria queda abierta a votación durante 1 hora; la persona revocada no vota en ella."
    )
    assert english["charter.cargos.household_limit"] == "A household holds at most 2 cargos at once."
    assert "charter.cargos.consecutive.forbidden" in spanish and "charter.concentration.none" not in spanish
    methods = [
        m["text"] for m in six.get("/charter").json()["messages"] if m["id"].startswith("charter.method")
    ]
    assert [t.split(":")[0] for t in methods[-6:]] == [
        "Creación de cargos",
        "Exenciones de turnos",
        "Mandatos a delegados",
        "Borrado de palabras por decisión",
        "Las resoluciones de una federación",
        "Ratificar las resoluciones de una federación",
    ]
