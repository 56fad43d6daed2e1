"""A question's outcome is answered as it was before it became a typed read model (issue 10): the same
bytes for every decision method, each with only the keys its method fills. The files in `answers/` were
written by the API before the change (main at 9082eb5) and are compared byte for byte."""

import json
import os
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from ayllu.cli.demo_story import Story
from ayllu.queries.outcomes import ABSENT, OutcomeRead
from ayllu.storage.keyfiles import create_key_file
from factories.api import LATER, ApiAssembly
from factories.charters import instant_charter
from factories.demo import story_written
from factories.keys import keypair, seed_for

from .test_copied_words import signed
from .test_visibility import log_in

ANSWERS = Path(__file__).resolve().parent / "answers"
CAPTURE = os.environ.get("AYLLU_CAPTURE_ANSWERS") == "1"


def same_as_before(name: str, text: str) -> None:
    path = ANSWERS / name
    if CAPTURE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), name


@pytest.fixture(scope="module")
def story(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Story]:
    """The demo story, sealed by a node key of its own: the tie order of a choice comes from its entry's
    hash, so a node key made up by the run would change it."""
    node_key = tmp_path_factory.mktemp("node") / "node.key"
    create_key_file(node_key, seed=seed_for("node", family="demo"))
    with override_settings(AYLLU_NODE_KEY_FILE=str(node_key)), story_written(django_db_blocker) as story:
        yield story


@pytest.mark.django_db
def test_the_outcomes_of_every_method_are_answered_byte_for_byte_as_before(
    story: Story, client: Client
) -> None:
    # when the API answers the demo council's questions and proposals (consent, consensus passed with
    # a block, blocked and undecided, the two-thirds fallback, approval, ranked, simple majority)
    found = {name: client.get(f"/api/assemblies/{story.log}/{name}") for name in ("questions", "proposals")}
    # then every answer is the same bytes as before
    for name, response in found.items():
        assert response.status_code == 200
        same_as_before(f"demo-{name}.json", response.content.decode())
    methods = {(q["method"], q["outcome"]["result"]) for q in found["questions"].json() if q["outcome"]}
    assert {
        ("consent", "passed"),
        ("consensus", "blocked"),
        ("approval", "elected"),
        ("ranked", "elected"),
    } <= methods


def test_an_outcome_with_counts_withheld_from_an_outsider_is_answered_as_before(api: Client) -> None:
    # given a ranked choice with one ballot for members only, and a consensus where that member stood aside
    charter = instant_charter()
    charter["methods"] = {**charter["methods"], "ordinary": {"method": "consensus"}}
    asm = ApiAssembly.found(api, ["ana", "bea", "carla"], charter=charter)
    choice = asm.ok(
        "ana", "table", matter="choice", title="Color", text="Pintar", options=["Rojo", "Verde", "Azul"]
    )
    ranked = asm.ok("ana", "open-question", proposal=choice, deadline=LATER)
    asm.ok("ana", "vote", question=ranked, choice=["Rojo", "Verde", "Azul"])
    asm.ok("bea", "vote", question=ranked, choice=["Verde", "Rojo", "Azul"])
    signed(asm, "carla", "vote", vis="members", question=ranked, choice=["Azul", "Verde", "Rojo"])
    asm.ok("ana", "close-question", question=ranked)
    ordinary = asm.ok("ana", "table", matter="ordinary", title="Agua", text="Turnos")
    consensus = asm.ok("ana", "open-question", proposal=ordinary, deadline=LATER)
    asm.ok("ana", "vote", question=consensus, choice="agree")
    asm.ok("bea", "vote", question=consensus, choice="agree")
    signed(asm, "carla", "vote", vis="members", question=consensus, choice="stand_aside")
    asm.ok("ana", "close-question", question=consensus)
    # when an outsider and a member read both outcomes
    outside = [asm.get(f"/questions/{q}").json()["outcome"] for q in (ranked, consensus)]
    log_in(asm.client, asm.log, "bea")
    inside = [asm.get(f"/questions/{q}").json()["outcome"] for q in (ranked, consensus)]
    # then each is answered as before, keys in the same order (the tie order comes from the entry's hash,
    # which the run's clock changes: compared as a set)
    for outcome in (*outside, *inside):
        if "tie_order" in outcome:
            outcome["tie_order"] = sorted(outcome["tie_order"])
    same_as_before(
        "withheld-outcomes.json", json.dumps({"outside": outside, "inside": inside}, indent=1) + "\n"
    )
    assert outside[1]["stood_aside"] is None and inside[1]["stood_aside"] == [keypair("carla").public]


def test_the_api_names_the_outcome_by_its_class_and_requires_only_what_every_method_fills(
    db: None, client: Client
) -> None:
    # when the API describes its answers
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    # then a question's outcome is the query's class, field by field, or null while the question is open
    for holder in ("QuestionRead", "QuestionBrief"):
        described = schemas[holder]["properties"]["outcome"]
        assert described == {"anyOf": [{"$ref": "#/components/schemas/OutcomeRead"}, {"type": "null"}]}
    outcome = schemas["OutcomeRead"]
    assert list(outcome["properties"]) == [f.name for f in fields(OutcomeRead)]
    # and the parts a method may leave out are not required
    assert outcome["required"] == [f.name for f in fields(OutcomeRead) if f.name not in ABSENT]
    parts = {"threshold", "ranking", "tie_order", "pairwise", "strongest_paths", "rounds", "standing"}
    assert set(ABSENT) == parts | {"stood_aside"}
