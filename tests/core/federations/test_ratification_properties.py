"""Properties of the ratification count: the outcome does not depend on the order answers arrive in, and
for one-assembly-one-vote and capped households a reached outcome (ratified, rejected) stays reached
whatever answers follow, so every replica reading a prefix of the record agrees with the final one."""

from dataclasses import replace
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from ayllu.core.assembly.state import RatificationAnswer, Resolution
from ayllu.core.federations.ratification import tally_resolution

DEADLINE = 10_000
RULES = st.sampled_from(["assemblies", "households_capped", "double_majority"])
ANSWER = st.tuples(st.booleans(), st.integers(min_value=1, max_value=500))


def _resolution(rule: str, members: int, share: Fraction) -> Resolution:
    return Resolution(
        proposal=1, seq=1, time=0, rule=rule, share=share, deadline=DEADLINE,
        members=tuple(f"{n:064x}" for n in range(members)), cap=100, households_share=Fraction(65, 100),
        blocking=2,
    )  # fmt: skip


def _answered(resolution: Resolution, answers: list[tuple[bool, int]], order: list[int]) -> Resolution:
    given_answers = {}
    for time, index in enumerate(order, start=1):
        yes, households = answers[index]
        log = resolution.members[index]
        given_answers[log] = RatificationAnswer(log, yes, households, time + 1, time, (log, 1, "0" * 64))
    return replace(resolution, answers=given_answers)


@given(
    rule=RULES,
    answers=st.lists(ANSWER, min_size=1, max_size=12),
    share=st.fractions(min_value=Fraction(1, 100), max_value=1),
    data=st.data(),
)
def test_the_outcome_does_not_depend_on_the_order_of_answers(
    rule: str, answers: list[tuple[bool, int]], share: Fraction, data: st.DataObject
) -> None:
    resolution = _resolution(rule, len(answers) + 2, share)
    order = list(range(len(answers)))
    shuffled = data.draw(st.permutations(order))
    at = DEADLINE + 1
    assert tally_resolution(_answered(resolution, answers, order), now=at) == tally_resolution(
        _answered(resolution, answers, shuffled), now=at
    )


@given(
    rule=st.sampled_from(["assemblies", "households_capped"]),
    answers=st.lists(ANSWER, min_size=1, max_size=12),
    share=st.fractions(min_value=Fraction(1, 100), max_value=1),
)
def test_a_reached_outcome_stays_reached_as_answers_arrive(
    rule: str, answers: list[tuple[bool, int]], share: Fraction
) -> None:
    resolution = _resolution(rule, len(answers) + 1, share)
    full = _answered(resolution, answers, list(range(len(answers))))
    outcomes = [tally_resolution(full, now=t).outcome for t in range(0, len(answers) + 1)]
    reached = [o for o in outcomes if o in ("ratified", "rejected")]
    # once ratified or rejected, every later moment says the same
    assert all(o == reached[0] for o in outcomes[outcomes.index(reached[0]) :]) if reached else True
