"""The API answers with the queries' own read models: one frozen class is both the query's answer and
the API's schema, so the two cannot drift apart, and no caller can change a shared answer in place."""

import dataclasses
import json
from dataclasses import asdict, fields

import pytest
from django.test import Client

from ayllu.core.assembly.words import shown_to
from ayllu.queries.assembly import (
    AssemblyListed,
    AssemblySummary,
    MeetingRead,
    MembersRead,
    MinutesRead,
    ProposalRead,
    QuestionRead,
    get_assembly,
    get_meeting,
    get_meeting_minutes,
    get_proposal,
    list_assemblies,
)
from ayllu.queries.cargos import (
    CargoTurnRead,
    DelegateVoteRead,
    DrawDetailRead,
    DrawRead,
    MandatesRead,
    RecallPetitionRead,
    RosterRead,
    SessionRead,
    WhyOurTurnRead,
)
from ayllu.queries.federation_offices import FederationOfficesRead
from ayllu.queries.federations import FederationRead
from factories.api import ApiAssembly
from factories.stored import found_with_officers

READ_MODELS = [
    ("/api/assemblies", "get", AssemblyListed),
    ("/api/assemblies/{log}", "get", AssemblySummary),
    ("/api/assemblies/{log}/questions", "get", QuestionRead),
    ("/api/assemblies/{log}/questions/{question}", "get", QuestionRead),
    ("/api/assemblies/{log}/proposals", "get", ProposalRead),
    ("/api/assemblies/{log}/members", "get", MembersRead),
    ("/api/assemblies/{log}/meetings", "get", MeetingRead),
    ("/api/assemblies/{log}/meetings/{meeting}", "get", MeetingRead),
    ("/api/assemblies/{log}/meetings/{meeting}/minutes", "get", MinutesRead),
    ("/api/assemblies/{log}/proposals/{proposal}", "get", ProposalRead),
    ("/api/assemblies/{log}/federation", "get", FederationRead),
    ("/api/assemblies/{log}/federation/offices", "get", FederationOfficesRead),
    ("/api/assemblies/{log}/recalls", "get", RecallPetitionRead),
    ("/api/assemblies/{log}/mandates", "get", MandatesRead),
    ("/api/assemblies/{log}/sessions", "get", SessionRead),
    ("/api/assemblies/{log}/report-flags", "get", SessionRead),
    ("/api/assemblies/{log}/delegate-votes", "get", DelegateVoteRead),
    ("/api/assemblies/{log}/turns", "get", CargoTurnRead),
    ("/api/assemblies/{log}/roster", "get", RosterRead),
    ("/api/assemblies/{log}/cargos/{cargo}/roster", "get", RosterRead),
    ("/api/assemblies/{log}/households/{household}/turns", "get", WhyOurTurnRead),
    ("/api/assemblies/{log}/draws", "get", DrawRead),
    ("/api/assemblies/{log}/draws/{draw}", "get", DrawDetailRead),
]


@pytest.mark.parametrize(("path", "method", "model"), READ_MODELS)
def test_the_api_describes_its_answer_with_the_querys_class(
    db: None, client: Client, path: str, method: str, model: type
) -> None:
    # when the API describes the answer
    spec = client.get("/api/openapi.json").json()
    answer = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    # then it is the query's class, field by field
    assert answer.get("items", answer) == {"$ref": f"#/components/schemas/{model.__name__}"}
    described = spec["components"]["schemas"][model.__name__]["properties"]
    assert list(described) == [f.name for f in fields(model)]


def test_the_api_answers_what_the_query_answers_and_the_answer_is_frozen(db: None, client: Client) -> None:
    # given an assembly
    assembly = found_with_officers("Junta Vecinal Villa Esperanza")
    # when the API and the query answer
    summary = get_assembly(assembly.log)
    listed = list_assemblies()
    # then the API's JSON is the query's answer, and nobody can change the shared answer
    assert client.get(f"/api/assemblies/{assembly.log}").json() == {
        **asdict(summary),
        "open_meetings": list(summary.open_meetings),
    }
    assert client.get("/api/assemblies").json() == [asdict(a) for a in listed]
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.name = "otra"  # type: ignore[misc]


def test_a_proposal_is_answered_as_its_frozen_read_model(assembly: ApiAssembly) -> None:
    # given a proposal with an amendment, an objection with its answer, a comment and a cosigner
    proposal = assembly.ok("ana", "table", matter="ordinary", title="Plaza", text="Arreglar la plaza")
    assembly.ok("bea", "amend", proposal=proposal, title="Plaza y parque", text="Y el parque")
    objection = assembly.ok("carla", "object", proposal=proposal, reason="Falta plata")
    assembly.ok("ana", "answer-objection", proposal=proposal, objection=objection, answer="Hay fondos")
    assembly.ok("bea", "comment", proposal=proposal, text="De acuerdo")
    # when the query and the API answer (every act public: an outsider reads every word)
    read = shown_to(get_proposal(assembly.log, proposal), frozenset())
    answer = assembly.get(f"/proposals/{proposal}").json()
    # then the API's JSON is the query's answer, field by field, and no part of it can be changed
    assert answer == json.loads(json.dumps(asdict(read)))
    assert [a["text"] for a in answer["amendments"]] == ["Y el parque"]
    assert answer["objections"][0]["answer"] == "Hay fondos" and answer["comments"][0]["text"] == "De acuerdo"
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.amendments[0].status = "accepted"  # type: ignore[misc]
    # and the list answers the same proposal, its comments left to the proposal's own answer
    listed = [p for p in assembly.get("/proposals").json() if p["id"] == proposal]
    assert listed == [{**answer, "comments": []}]


def test_a_meeting_is_answered_as_its_frozen_read_model(assembly: ApiAssembly) -> None:
    # given an open meeting with presence, an agenda item, a point of order and a speaker waiting
    meeting = assembly.ok("ana", "convene", title="Asamblea de junio", starts=1_764_000_100_000)
    for who in ("ana", "bea", "carla"):
        assembly.ok(who, "sign-presence", meeting=meeting)
    assembly.ok("ana", "add-agenda-item", meeting=meeting, kind="discussion", title="Agua")
    assembly.ok("bea", "raise-point", meeting=meeting, text="Orden")
    assembly.ok("carla", "queue", meeting=meeting)
    # when the query and the API answer
    read = shown_to(get_meeting(assembly.log, meeting), frozenset())
    answer = assembly.get(f"/meetings/{meeting}").json()
    # then the API's JSON is the query's answer, field by field, and no part of it can be changed
    assert answer == json.loads(json.dumps(asdict(read)))
    assert answer["agenda"][0]["title"] == "Agua" and answer["points_of_order"][0]["text"] == "Orden"
    assert answer["quorum"]["present"] == 3 and len(answer["queue"]) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.quorum.met = False  # type: ignore[misc]
    assert [m for m in assembly.get("/meetings").json() if m["id"] == meeting] == [answer]
    # and its minutes are the minutes query's answer, its agenda and points read as the meeting's
    minutes = assembly.get(f"/meetings/{meeting}/minutes").json()
    assert minutes == json.loads(
        json.dumps(asdict(shown_to(get_meeting_minutes(assembly.log, meeting), frozenset())))
    )
    assert (minutes["agenda"], minutes["points_of_order"]) == (answer["agenda"], answer["points_of_order"])
