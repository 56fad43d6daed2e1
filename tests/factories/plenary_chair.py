"""A plenary held on this node, for the plenary meeting's pages, API and CLI tests (decision 0030): alto
and bajo (held here) each seated a delegate; at its sitting's start nobody present yet
(`convened_plenary`), or with both delegates signed present and the sitting opened with quorum
(`opened_plenary`)."""

from dataclasses import dataclass

from ayllu.actions.record import forget_replayed_state
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.ledger.record import Entry

from .assemblies import T0, Assembly
from .federations import (
    accredit,
    back_petition,
    cite,
    found_home,
    give_federation_cargo,
    office_charter,
    petition_content,
    seat_content,
)
from .federations_stored import found_stored_federation, hold, stored_act, stored_seat
from .scenes import Clock


@dataclass
class OpenedPlenary:
    homes: list[Assembly]
    log: str
    delegates: list[str]
    meeting: int
    credentials: list[Entry]


def convened_plenary(clock: Clock) -> OpenedPlenary:
    """Build it on this node, moving `clock` (this node's time) to a second after its sitting's start,
    nobody present yet."""
    forget_replayed_state()
    clock.now = max(clock.now, T0)
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    homes.append(found_home(["gina", "hilda", "ines"]))
    charter = office_charter(petition_assemblies=2, plenary={"quorum": "1/2"})
    fed = found_stored_federation({"ana": homes[0], "dora": homes[1], "gina": homes[2]}, charter=charter)
    for home in homes:
        home.clock = max(home.clock, clock.now)
    delegates, credentials = [], []
    for home in homes[:2]:
        delegate = give_federation_cargo(home, fed)
        delegates.append(delegate)
        credentials.append(accredit(home, delegate, fed, days=80))
    starts = clock.now + 10 * DAY_MS
    backings = [back_petition(home, fed, "convene", starts=starts) for home in homes[:2]]
    clock.now = max(clock.now, *(h.clock + 1000 for h in homes))
    for home in homes:
        hold(home, checkpoint=True)
    for home, delegate, credential in zip(homes, delegates, credentials, strict=False):
        stored_seat(fed, delegate, seat_content(home, credential))
    for home, backing in zip(homes, backings, strict=False):
        meeting = stored_act(fed, "lola", "federation.petition_cited", petition_content(home, backing))
    clock.now = starts + 1000
    return OpenedPlenary(homes, fed, delegates, meeting, credentials)


def opened_plenary(clock: Clock) -> OpenedPlenary:
    """Build it on this node, moving `clock` (this node's time) to the opened sitting."""
    built = convened_plenary(clock)
    for home, delegate, credential in zip(built.homes[:2], built.delegates, built.credentials, strict=True):
        cites = [cite(home, credential).as_json()]
        stored_act(
            built.log, delegate, "federation.plenary_present", {"meeting": built.meeting, "cites": cites}
        )
    stored_act(built.log, "lola", "federation.plenary_opened", {"meeting": built.meeting})
    return built
