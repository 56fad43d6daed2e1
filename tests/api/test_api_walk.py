"""Every act of the catalogue once through the API, asserting the answer and the record."""

import time

from django.test import Client

from ayllu.actions.catalogue import ACT_KINDS, CARGO_KINDS
from ayllu.core.charter.founding import FOUNDED
from ayllu.core.ledger.succession import RECORD_MOVED
from factories.api import ApiAssembly
from factories.federations import FEDERATION_TYPES
from factories.keys import pub

# Citing needs a second record to cite: tests/api/test_citations_api.py, tests/cli/test_citations_cli.py.
CITED = "record.cited"


def test_every_act_once_through_the_api(assembly: ApiAssembly) -> None:
    # given: an assembly founded through the API (entry 1)
    a = assembly
    now = time.time_ns() // 1_000_000
    # when: members make every kind of act
    a.ok("ana", "notice", text="Asamblea el domingo")
    a.ok("dora", "apply", household="h-dora")
    a.ok("ana", "sponsor", applicant=pub("dora"))
    a.ok("dora", "register-household", household="h-dora-2")
    a.ok("dora", "set-name", name="Dora Quispe")
    a.ok("dora", "rotate-key", new_key=pub("dora-2"))
    a.ok("carla-2", "claim-key", member=pub("carla"))
    a.ok("ana", "vouch-key", key=pub("carla-2"))
    a.ok("bea", "vouch-key", key=pub("carla-2"))
    meeting = a.ok("ana", "convene", title="Asamblea ordinaria", starts=now - 1000)
    petition = a.ok("bea", "petition", purpose="Agua")
    a.ok("carla-2", "sign-petition", petition=petition)
    for who in ("ana", "bea", "dora-2"):
        a.ok(who, "sign-presence", meeting=meeting)
    a.ok("ana", "add-agenda-item", meeting=meeting, kind="discussion", title="Agua")
    a.ok("bea", "queue", meeting=meeting)
    a.ok("ana", "call-speaker", meeting=meeting, member=pub("bea"))
    point = a.ok("dora-2", "raise-point", meeting=meeting, text="Falta el orden del día")
    a.ok("ana", "rule-point", meeting=meeting, point=point, ruling="Se lee al inicio")
    a.ok("bea", "add-note", meeting=meeting, text="Se habló del agua")
    proposal = a.ok("ana", "table", matter="ordinary", title="Turnos de agua", text="Por semana")
    a.ok("bea", "cosign", proposal=proposal)
    amendment = a.ok("bea", "amend", proposal=proposal, title="Turnos de agua", text="Por día")
    a.ok("ana", "accept-amendment", proposal=proposal, amendment=amendment)
    a.ok("dora-2", "comment", proposal=proposal, text="De acuerdo")
    slip = a.ok("dora-2", "comment", proposal=proposal, text="Mi teléfono es 555")
    a.ok("dora-2", "erase-words", entry=slip)
    objection = a.ok("carla-2", "object", proposal=proposal, reason="Falta el barrio alto")
    a.ok("bea", "answer-objection", proposal=proposal, objection=objection, answer="Se incluye")
    a.ok("carla-2", "withdraw-objection", proposal=proposal, objection=objection)
    question = a.ok("ana", "open-question", proposal=proposal, deadline=now + 3_600_000)
    # carla's withdrawn objection is her position in this consent round; the others consent
    for who in ("ana", "bea", "dora-2"):
        a.ok(who, "vote", question=question, choice="consent")
    a.ok("ana", "close-question", question=question)
    second = a.ok("bea", "table", matter="ordinary", title="Fiesta", text="")
    a.ok("bea", "withdraw", proposal=second)
    a.ok("dora-2", "end-presence", meeting=meeting)
    a.ok("ana", "close-meeting", meeting=meeting)
    a.ok("dora-2", "leave")
    # then: every act is in the record, in order, and the reads show what replay computed
    assert a.size() == 42
    # (moving the record to another node is tested with the nodes, tests/federation)
    tried = [
        k
        for k in ACT_KINDS.values()
        if k not in CARGO_KINDS and k.type not in (RECORD_MOVED, CITED, *FEDERATION_TYPES)
    ]
    assert set(a.types()) == {FOUNDED, *(k.type for k in tried)}
    outcome = a.get(f"/questions/{question}").json()["outcome"]
    summary = (outcome["method"], outcome["result"], outcome["eligible"], outcome["participation"])
    assert summary == ("consent", "passed", 4, 4)
    described = a.get(f"/proposals/{proposal}").json()
    assert described["status"] == "adopted" and described["text"] == "Por día"
    assert described["comments"][0]["text"] == "De acuerdo"
    assert "Mi teléfono es 555" not in [c["text"] for c in described["comments"]]
    assert described["objections"][0]["answer"] == "Se incluye"
    minutes = a.get(f"/meetings/{meeting}/minutes").json()
    assert minutes["notes"][0]["text"] == "Se habló del agua"
    assert minutes["points_of_order"][0]["ruling"] == "Se lee al inicio"
    members = a.get("/members").json()
    assert pub("dora") not in {m["id"] for m in members["members"]}
    carla = next(m for m in members["members"] if m["id"] == pub("carla"))
    assert carla["key"] == pub("carla-2")


def test_founding_answers_with_the_node_receipt(api: Client) -> None:
    # when
    assembly = ApiAssembly.found(api, ["ana", "bea"], name="Sindicato")
    # then
    listed = api.get("/api/assemblies").json()
    assert [(x["log"], x["name"], x["size"]) for x in listed] == [(assembly.log, "Sindicato", 1)]
    assert assembly.size() == 1
