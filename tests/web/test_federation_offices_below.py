"""A federation's offices per person count the terms held in the federations below it whose records this
node holds (a member that is itself a federation), found without reading every member assembly's
state: of a federation's members, only the records holding an office's holder are read."""

from ayllu.actions.record import do_found_assembly
from ayllu.queries.federation_offices import get_federation_offices
from ayllu.queries.replayed import read_state
from ayllu.storage import replayed
from factories.assemblies import T0
from factories.federations import federation_charter, found_home, office_content
from factories.federations_stored import hold, office_scene, stored_act
from factories.keys import keypair, pub
from factories.records import founding_act
from factories.scenes import Clock


def test_a_person_holding_an_office_in_a_federation_below_counts_there_and_members_are_not_read(
    clock: Clock,
) -> None:
    # given a district (held here) whose convenor took office, and its three member councils held here
    district = office_scene(clock)
    stored_act(
        district.log,
        district.holder,
        "federation.office_taken",
        office_content(district.turn, district.credential),
    )
    # and a city federation founded by the district's and another council's delegates (both held here)
    council = found_home(["olga", "paula", "rosa"])
    hold(council)
    act, body = founding_act(
        [(keypair("xenia"), district.log), (keypair("yola"), council.log)],
        name="Federación de la ciudad",
        founded_at=T0,
        charter=federation_charter(),
    )
    do_found_assembly(signed_act=act, body=body)
    city = act.act.log
    read_state(city, lambda state: state.size)
    for log in (district.log, council.log, *(h.log for h in district.homes)):
        replayed.forget(log)
    # when
    offices = get_federation_offices(city, now=clock.now)
    # then the district's convenor counts one term in the federations below
    assert offices is not None
    persons = {p.key: p for p in offices.concentration.persons}
    assert persons[pub(district.holder)].below == 1 and persons[pub(district.holder)].here == 0
    # and of the city's members only the district's state was read: not the council's
    assert district.log in replayed.cached_logs()
    assert council.log not in replayed.cached_logs()
