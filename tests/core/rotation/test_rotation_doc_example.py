from ayllu.core.cargos.rotation import (
    RESTING,
    SERVED_PREVIOUS_TERM,
    Cargo,
    Household,
    RotationFacts,
    RotationRules,
    Service,
    get_next_turn,
    list_turn_order,
)

DAY = 24 * 60 * 60 * 1000


def example() -> RotationFacts:
    return RotationFacts(
        seed="log-example",
        households=(
            Household("apaza", ("ana",)),
            Household("mamani", ("mario", "marta")),
            Household("quispe", ("quri",)),
            Household("condori", ("carla",)),
        ),
        cargos=(Cargo("convenor", 2, 30 * DAY), Cargo("minutes", 1, 30 * DAY)),
        services=(
            Service("convenor", "apaza", "ana", 0, 30 * DAY),
            Service("minutes", "mamani", "mario", 0, 30 * DAY),
            Service("convenor", "condori", "carla", 30 * DAY, 60 * DAY),
            Service("minutes", "quispe", "quri", 30 * DAY, 60 * DAY),
        ),
        rules=RotationRules(rest_ms=30 * DAY),
    )


def test_the_worked_example_in_docs_rotation_md() -> None:
    # given the example of docs/rotation.md
    facts = example()
    # when
    turn = get_next_turn(facts, cargo="convenor", at=60 * DAY)
    # then the table in the doc
    assert [
        (s.household, s.rank, s.key.load // DAY, (s.key.last_served or 0) // DAY, s.barred)
        for s in turn.standings
    ] == [
        ("mamani", 1, 30, 30, ()),
        ("apaza", 2, 60, 30, ()),
        ("quispe", None, 30, 60, (RESTING,)),
        ("condori", None, 60, 60, (SERVED_PREVIOUS_TERM, RESTING)),
    ]
    assert [(h.household, h.member) for h in turn.holders] == [("mamani", "marta")]
    forecast = [
        (t.cargo, t.start // DAY, t.holders[0].household) for t in list_turn_order(facts, start=60 * DAY)
    ]
    assert forecast[:4] == [
        ("convenor", 60, "mamani"),
        ("minutes", 60, "apaza"),
        ("convenor", 90, "quispe"),
        ("minutes", 90, "condori"),
    ]
