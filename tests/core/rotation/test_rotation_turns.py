import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.cargos.rotation import (
    ASK_ASSEMBLY,
    BY_TURN,
    EXEMPT,
    RELAX_REST_PERIOD,
    RESTING,
    SERVED_PREVIOUS_TERM,
    Cargo,
    Exemption,
    Household,
    RotationFacts,
    RotationRules,
    Service,
    Turn,
    get_next_turn,
    list_turn_order,
)
from ayllu.core.cargos.rotation.errors import DuplicateId, InvalidFallback, OverlappingSwaps, UnknownCargo

DAY = 24 * 60 * 60 * 1000
MONTH = 30 * DAY


def households(n: int, members: int = 1) -> tuple[Household, ...]:
    return tuple(Household(f"h{i:02}", tuple(f"m{i:02}.{j}" for j in range(members))) for i in range(n))


@st.composite
def rotation_facts(draw: st.DrawFn, *, exemptions: bool = False) -> RotationFacts:
    n = draw(st.integers(2, 9))
    homes = households(n, draw(st.integers(1, 2)))
    cargos = tuple(
        Cargo(
            f"c{k}",
            draw(st.integers(1, 4)),
            draw(st.sampled_from([MONTH, 2 * MONTH, 3 * MONTH])),
            draw(st.booleans()),
        )
        for k in range(draw(st.integers(1, 3)))
    )
    rules = RotationRules(
        rest_ms=draw(st.sampled_from([0, MONTH, 3 * MONTH])),
        no_consecutive=draw(st.booleans()),
        max_cargos_per_person=draw(st.integers(1, 2)),
        max_cargos_per_household=draw(st.integers(1, 2)),
        when_nobody_eligible=draw(st.sampled_from([(RELAX_REST_PERIOD, ASK_ASSEMBLY), (ASK_ASSEMBLY,)])),
    )
    granted: list[Exemption] = []
    if exemptions:
        for home in homes:
            if draw(st.booleans()):
                start = draw(st.integers(0, 10)) * MONTH
                granted.append(
                    Exemption(start, start + draw(st.integers(1, 4)) * MONTH, "illness", household=home.id)
                )
            elif draw(st.booleans()):
                start = draw(st.integers(0, 10)) * MONTH
                granted.append(Exemption(start, start + MONTH, "travel", member=home.members[0]))
    return RotationFacts(
        seed="log-1", households=homes, cargos=cargos, exemptions=tuple(granted), rules=rules
    )


def served(turns: tuple[Turn, ...]) -> list[Service]:
    return [Service(t.cargo, h.household, h.member, t.start, t.end) for t in turns for h in t.holders]


@settings(max_examples=60, deadline=None)
@given(rotation_facts())
def test_every_household_serves_before_any_serves_twice(facts: RotationFacts) -> None:
    # given no exemptions and no history
    # when
    turns = list_turn_order(facts, start=0)
    # then: whoever serves again does so only when every household has served
    done: set[str] = set()
    for turn in turns:
        now = {h.household for h in turn.holders}
        for holder in turn.holders:
            if holder.household in done:
                assert done | now >= {h.id for h in facts.households}, (turn.start, holder)
        done |= now


@settings(max_examples=40, deadline=None)
@given(rotation_facts(exemptions=True), st.randoms(use_true_random=False))
def test_turn_order_is_identical_when_recomputed_in_any_input_order(
    facts: RotationFacts, rnd: random.Random
) -> None:
    # given the same facts listed in another order, members shuffled inside households
    def shuffled(items: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(rnd.sample(items, len(items)))

    homes = tuple(Household(h.id, tuple(rnd.sample(h.members, len(h.members)))) for h in facts.households)
    other = replace(
        facts,
        households=shuffled(homes),  # type: ignore[arg-type]
        cargos=shuffled(facts.cargos),  # type: ignore[arg-type]
        exemptions=shuffled(facts.exemptions),  # type: ignore[arg-type]
    )
    # when
    first = list_turn_order(facts, start=0)
    second = list_turn_order(other, start=0)
    # then
    assert [t.as_json() for t in first] == [t.as_json() for t in second]
    assert [t.as_json() for t in first] == [t.as_json() for t in list_turn_order(facts, start=0)]


@settings(max_examples=60, deadline=None)
@given(rotation_facts(exemptions=True))
def test_turns_respect_rest_consecutive_limits_and_exemptions(facts: RotationFacts) -> None:
    # given
    rules = facts.rules
    turns = list_turn_order(facts, start=0)
    history = served(turns)
    for turn in turns:
        before = [s for s in history if s.start < turn.start]
        current = [s for s in history if s.start <= turn.start < s.end]
        previous_end = max((s.end for s in before if s.cargo == turn.cargo), default=None)
        for holder in turn.holders:
            # then: never more cargos at once than the charter allows
            assert (
                sum(1 for s in current if s.household == holder.household) <= rules.max_cargos_per_household
            )
            assert sum(1 for s in current if s.member == holder.member) <= rules.max_cargos_per_person
            # then: no exemption overlaps the term
            for e in facts.exemptions:
                if e.household == holder.household or e.member == holder.member:
                    assert e.end <= turn.start or e.start >= turn.end
            # then: no consecutive term of the same cargo
            if rules.no_consecutive:
                assert not any(
                    s.household == holder.household and s.cargo == turn.cargo and s.end == previous_end
                    for s in before
                )
            # then: the rest period holds unless the charter's fallback relaxed it
            ended = [s.end for s in before if s.household == holder.household and s.end <= turn.start]
            if turn.outcome == BY_TURN and ended:
                assert max(ended) + rules.rest_ms <= turn.start
        # then: never "nobody" without sending it to the assembly
        assert len(turn.holders) == (
            0 if turn.outcome == ASK_ASSEMBLY else (2 if facts.cargo(turn.cargo).paired else 1)
        )
        assert len({h.household for h in turn.holders}) == len(turn.holders)


def test_least_served_household_is_next_and_explained() -> None:
    # given h00 served a heavy cargo, h01 the previous term of the light one, h02 never served
    facts = RotationFacts(
        seed="log-1",
        households=households(3),
        cargos=(Cargo("convenor", 3, MONTH), Cargo("minutes", 1, MONTH)),
        services=(
            Service("convenor", "h00", "m00.0", 0, MONTH),
            Service("minutes", "h01", "m01.0", 0, MONTH),
        ),
    )
    # when
    turn = get_next_turn(facts, cargo="minutes", at=2 * MONTH)
    # then
    assert [h.household for h in turn.holders] == ["h02"]
    assert turn.outcome == BY_TURN
    assert [(s.household, s.rank, s.key.load, s.barred) for s in turn.standings] == [
        ("h02", 1, 0, ()),
        ("h00", 2, 3 * MONTH, ()),
        ("h01", None, MONTH, (SERVED_PREVIOUS_TERM,)),
    ]


def test_rest_period_bars_and_fallback_relaxes_it() -> None:
    # given two households, both served within the rest period
    facts = RotationFacts(
        seed="log-1",
        households=households(2),
        cargos=(Cargo("convenor", 1, MONTH),),
        services=(
            Service("convenor", "h00", "m00.0", 0, MONTH),
            Service("convenor", "h01", "m01.0", MONTH, 2 * MONTH),
        ),
        rules=RotationRules(rest_ms=6 * MONTH),
    )
    # when
    turn = get_next_turn(facts, cargo="convenor", at=2 * MONTH)
    # then h01 served the previous term, so h00 serves with the rest period relaxed
    assert turn.outcome == RELAX_REST_PERIOD
    assert [h.household for h in turn.holders] == ["h00"]
    assert turn.standing("h01").barred == (SERVED_PREVIOUS_TERM,)  # type: ignore[union-attr]


def test_when_nobody_is_eligible_the_assembly_is_asked() -> None:
    # given every household exempt
    facts = RotationFacts(
        seed="log-1",
        households=households(2),
        cargos=(Cargo("convenor", 1, MONTH),),
        exemptions=(
            Exemption(0, MONTH, "harvest", household="h00"),
            Exemption(0, MONTH, "harvest", household="h01"),
        ),
    )
    # when
    turn = get_next_turn(facts, cargo="convenor", at=0)
    # then
    assert (turn.outcome, turn.holders) == (ASK_ASSEMBLY, ())
    assert {s.barred for s in turn.standings} == {(EXEMPT,)}
    assert get_next_turn(facts, cargo="convenor", at=MONTH).outcome == BY_TURN


def test_rest_code_explains_the_bar() -> None:
    # given h00 served recently, h01 not
    facts = RotationFacts(
        seed="log-1",
        households=households(3),
        cargos=(Cargo("convenor", 1, MONTH), Cargo("minutes", 1, MONTH)),
        services=(Service("minutes", "h00", "m00.0", 0, MONTH),),
        rules=RotationRules(rest_ms=3 * MONTH),
    )
    # when
    turn = get_next_turn(facts, cargo="convenor", at=MONTH)
    # then
    assert turn.standing("h00").barred == (RESTING,)  # type: ignore[union-attr]
    assert turn.standing("h00").rank is None  # type: ignore[union-attr]


def test_member_exemption_moves_service_to_another_member() -> None:
    # given
    facts = RotationFacts(
        seed="log-1",
        households=households(1, members=2),
        cargos=(Cargo("convenor", 1, MONTH),),
        exemptions=(
            Exemption(0, MONTH, "travel", member="m00.0"),
            Exemption(0, MONTH, "travel", member="m00.1"),
        ),
    )
    # when / then: with both members away the household cannot serve
    assert get_next_turn(facts, cargo="convenor", at=0).outcome == ASK_ASSEMBLY
    one_away = replace(facts, exemptions=facts.exemptions[:1])
    assert get_next_turn(one_away, cargo="convenor", at=0).holders[0].member == "m00.1"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"households": (Household("h", ("a",)), Household("h", ("b",)))}, DuplicateId),
        ({"households": (Household("h", ("a",)), Household("k", ("a",)))}, DuplicateId),
        ({"services": (Service("nope", "h", "a", 0, 1),)}, UnknownCargo),
        ({"rules": RotationRules(when_nobody_eligible=(RELAX_REST_PERIOD,))}, InvalidFallback),
        ({"rules": RotationRules(when_nobody_eligible=("nobody", ASK_ASSEMBLY))}, InvalidFallback),
    ],
)
def test_invalid_facts_are_refused(change: dict[str, object], error: type[Exception]) -> None:
    # given
    base: dict[str, object] = {
        "seed": "s",
        "households": (Household("h", ("a",)),),
        "cargos": (Cargo("c", 1, 1),),
    }
    # when / then
    with pytest.raises(error):
        RotationFacts(**{**base, **change})  # type: ignore[arg-type]


def test_overlapping_open_swaps_are_refused() -> None:
    # given
    from ayllu.core.cargos.rotation import Swap

    facts = RotationFacts(
        seed="s",
        households=households(3),
        cargos=(Cargo("c", 1, MONTH),),
        swaps=(Swap("c", "h00", "h01", 0), Swap("c", "h01", "h02", 0)),
    )
    # when / then
    with pytest.raises(OverlappingSwaps):
        get_next_turn(facts, cargo="c", at=0)


def test_burden_weighs_before_waiting_time() -> None:
    # given h00 served the heavy cargo long ago, h01 the light one more recently
    facts = RotationFacts(
        seed="log-1",
        households=households(3),
        cargos=(Cargo("convenor", 3, MONTH), Cargo("minutes", 1, MONTH), Cargo("treasurer", 1, MONTH)),
        services=(
            Service("convenor", "h00", "m00.0", 0, MONTH),
            Service("minutes", "h01", "m01.0", 2 * MONTH, 3 * MONTH),
            Service("minutes", "h02", "m02.0", 3 * MONTH, 4 * MONTH),
        ),
    )
    # when
    turn = get_next_turn(facts, cargo="treasurer", at=5 * MONTH)
    # then the lighter load goes first; between equal loads, the longer wait
    assert [(s.household, s.rank) for s in turn.standings] == [("h01", 1), ("h02", 2), ("h00", 3)]
