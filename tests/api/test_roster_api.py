"""The planned roster through the API: every cargo or one, next to the turn order (which decides), its
OpenAPI schema, and clear translated errors for a cargo that is not filled by turn."""

from typing import Any

from django.test import Client

from ayllu.actions.record import forget_replayed_state
from factories.api import ApiAssembly

from .test_cargos_api import HOUSEHOLD_OF, Clock, clock, error, six

__all__ = ["clock", "six"]  # the fixtures, imported for the tests below


def _create(asm: ApiAssembly, clock: Clock, cargo: str, *, burden: int) -> None:
    """Create a cargo filled by turn: ana tables it, every member votes yes, ana closes the count."""
    values = {"cargo": cargo, "powers": ["coordinate_work"], "burden": burden, "term_days": 30, "seats": 1}
    proposal = asm.ok("ana", "propose-cargo", title="Propuesta", text="", **values)
    question = asm.ok("ana", "open-question", proposal=proposal, deadline=clock.now + 3_600_000)
    for name in HOUSEHOLD_OF:
        asm.ok(name, "vote", question=question, choice="yes")
    asm.ok("ana", "close-question", question=question)


def _households(holders: list[dict[str, Any]]) -> set[str]:
    return {h["household"] for h in holders}


def test_the_roster_plans_every_cargo_beside_the_turn_order(six: ApiAssembly, clock: Clock) -> None:
    # given: two cargos filled by turn
    _create(six, clock, "agua", burden=2)
    _create(six, clock, "prensa", burden=1)
    # when
    roster = six.get(f"/roster?at={clock.now}").json()
    turns = six.get(f"/turns?at={clock.now}").json()
    # then: a year of monthly terms of both cargos, each beside the turn order's holders for it
    assert roster["decided_by"] == "turn_order" and roster["cargo"] is None
    assert {t["cargo"] for t in roster["terms"]} == {"agua", "prensa"}
    assert 22 <= len(roster["terms"]) <= 26
    by_turn = {(t["cargo"], t["start"]): t for t in turns}
    for term in roster["terms"]:
        turn = by_turn[(term["cargo"], term["start"])]
        assert _households(term["turn_order"]["holders"]) == _households(turn["holders"])
        assert term["agrees"] == (_households(term["holders"]) == _households(turn["holders"]))
    assert roster["disagreements"] == sum(1 for t in roster["terms"] if not t["agrees"])
    # and the loads it compares add up to the same service planned either way
    assert sum(x["roster"] for x in roster["loads"]) == sum(x["turn_order"] for x in roster["loads"])


def test_the_roster_of_one_cargo_is_its_part_of_the_whole_roster(six: ApiAssembly, clock: Clock) -> None:
    # given
    _create(six, clock, "agua", burden=2)
    _create(six, clock, "prensa", burden=1)
    # when
    whole = six.get(f"/roster?at={clock.now}&months=6").json()
    agua = six.get(f"/cargos/agua/roster?at={clock.now}&months=6").json()
    # then
    assert agua["cargo"] == "agua"
    assert agua["terms"] == [t for t in whole["terms"] if t["cargo"] == "agua"]
    assert agua["loads"] == whole["loads"] and agua["unfairness"] == whole["unfairness"]


def test_the_roster_is_the_same_after_the_node_replays_the_record(six: ApiAssembly, clock: Clock) -> None:
    # given
    _create(six, clock, "agua", burden=2)
    first = six.get(f"/roster?at={clock.now}").json()
    # when
    forget_replayed_state()
    again = six.get(f"/roster?at={clock.now}").json()
    # then
    assert again == first and first["terms"]


def test_a_cargo_not_filled_by_turn_has_no_roster_and_says_so_in_the_readers_language(
    six: ApiAssembly, clock: Clock
) -> None:
    # given: convenor is held since the founding, not by turn; "nadie" does not exist
    _create(six, clock, "agua", burden=1)
    # when
    unknown = six.get("/cargos/nadie/roster")
    founding = six.get("/cargos/convenor/roster", lang="en")
    too_far = six.get("/roster?months=13")
    # then
    assert error(unknown) == (404, "unknown_cargo_name")
    assert unknown.json()["message"] == "No hay ningún cargo por turno llamado nadie."
    assert error(founding) == (404, "unknown_cargo_name")
    assert founding.json()["message"] == "There is no cargo called convenor filled by turn."
    assert too_far.status_code == 422


def test_an_assembly_without_cargos_by_turn_has_an_empty_roster(six: ApiAssembly) -> None:
    # when
    roster = six.get("/roster").json()
    # then
    assert roster["terms"] == [] and roster["disagreements"] == 0


def test_the_openapi_document_describes_the_roster(api: Client) -> None:
    # when
    schema = api.get("/api/openapi.json").json()
    # then
    paths = schema["paths"]
    assert "get" in paths["/api/assemblies/{log}/roster"]
    assert "get" in paths["/api/assemblies/{log}/cargos/{cargo}/roster"]
    roster = schema["components"]["schemas"]["RosterRead"]["properties"]
    assert {"decided_by", "terms", "loads", "disagreements", "rest_ms"} <= set(roster)
