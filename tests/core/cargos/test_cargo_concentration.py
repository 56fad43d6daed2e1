"""Concentration from the record: the charter's thresholds raise alerts exactly when crossed."""

from ayllu.core.concentration.measures import PROPOSAL_TABLED, ROLE_TERM, SINGLE_SHARE_ABOVE
from ayllu.core.concentration.sources import get_record_concentration, list_concentration_alerts
from factories.assemblies import NAMES, T0, Assembly, create_cargo, tick
from factories.charters import cargo_charter

FOUR = NAMES[:4]


def _tabled(asm: Assembly, authors: list[str]) -> None:
    for name in authors:
        asm.table(name)


def test_one_member_tabling_more_than_the_threshold_raises_an_alert() -> None:
    # given: no member may table more than half of the proposals
    asm = Assembly.found(FOUR, charter=cargo_charter(concentration={"max_single_share": "1/2"}))
    # when: ana tables 3 of 4
    _tabled(asm, ["ana", "ana", "ana", "bea"])
    alerts = list_concentration_alerts(asm.state, start=T0, end=asm.clock + 1)
    # then
    tabled = [a for a in alerts if a.kind == PROPOSAL_TABLED and a.unit == "person"]
    assert [(a.code, a.value.numerator, a.value.denominator) for a in tabled] == [(SINGLE_SHARE_ABOVE, 3, 4)]


def test_exactly_at_the_threshold_raises_no_alert() -> None:
    # given
    asm = Assembly.found(FOUR, charter=cargo_charter(concentration={"max_single_share": "1/2"}))
    # when: ana tables 2 of 4
    _tabled(asm, ["ana", "ana", "bea", "carla"])
    # then
    alerts = list_concentration_alerts(asm.state, start=T0, end=asm.clock + 1)
    assert [a for a in alerts if a.kind == PROPOSAL_TABLED] == []


def test_role_terms_by_turn_spread_evenly_and_breadth_counts_households() -> None:
    # given: a cargo by turn over four households for four terms; two cargos at once are allowed, so
    # the founding convenor's household takes its turn too
    terms = {"term_days": 30, "rest_terms": 0, "max_concurrent": 2}
    asm = Assembly.found(FOUR, charter=cargo_charter(terms=terms, concentration={"min_breadth": "1/1"}))
    create_cargo(asm, "faena", powers=["coordinate_work"], term_days=10)
    start = asm.clock
    for _ in range(3):
        tick(asm, days=10)
    # when
    report = get_record_concentration(asm.state, start=start, end=asm.clock + 1)
    # then: every household served once (the founding convenor's term began before the period)
    terms = report.measure(ROLE_TERM, "household")
    assert terms.total == 4 and terms.breadth == 1 and terms.gini == 0
    assert [a for a in report.alerts if a.kind == ROLE_TERM] == []
