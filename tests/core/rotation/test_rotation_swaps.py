from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.cargos.rotation import Cargo, RotationFacts, Service, Swap, get_next_turn, list_turn_order

MONTH = 30 * 24 * 60 * 60 * 1000


def facts_for(n: int) -> RotationFacts:
    from ayllu.core.cargos.rotation import Household

    homes = tuple(Household(f"h{i:02}", (f"m{i:02}",)) for i in range(n))
    return RotationFacts(seed="log-swap", households=homes, cargos=(Cargo("convenor", 2, MONTH),))


def holders(facts: RotationFacts, terms: int) -> list[str]:
    turns = list_turn_order(facts, start=0, until=terms * MONTH)
    return [t.holders[0].household for t in turns]


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_a_swap_changes_exactly_the_two_households_turns(data: st.DataObject) -> None:
    # given a round of turns and two households in it
    n = data.draw(st.integers(2, 10))
    facts = facts_for(n)
    before = holders(facts, n)
    i, j = sorted(data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
    first, second = before[i], before[j]
    order = data.draw(st.booleans())
    # when they swap (either may be named first)
    swap = Swap("convenor", first, second, 0) if order else Swap("convenor", second, first, 0)
    after = holders(replace(facts, swaps=(swap,)), n)
    # then their two turns are exchanged and nobody else's moves
    expected = list(before)
    expected[i], expected[j] = second, first
    assert after == expected


def test_a_swap_agreed_mid_round_takes_effect_from_then() -> None:
    # given four households, h-order fixed by the first two terms
    facts = facts_for(4)
    before = holders(facts, 4)
    served = tuple(
        Service("convenor", h, "m" + h[1:], k * MONTH, (k + 1) * MONTH) for k, h in enumerate(before[:2])
    )
    # when the next two swap after two terms
    swapped = replace(facts, services=served, swaps=(Swap("convenor", before[2], before[3], 2 * MONTH),))
    # then the third term goes to the fourth household, and the stand-in is explained
    turn = get_next_turn(swapped, cargo="convenor", at=2 * MONTH)
    assert turn.holders[0].household == before[3]
    assert turn.standing(before[3]).stands_for == before[2]  # type: ignore[union-attr]
    unswapped = replace(facts, services=served)
    assert get_next_turn(unswapped, cargo="convenor", at=2 * MONTH).holders[0].household == before[2]
