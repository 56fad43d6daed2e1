"""Federations on this node's database: home records held here, a federation founded and seated here.

hold(home)                                     # a verified copy of an in-memory home record, kept here
fed = found_stored_federation({"ana": alto, "dora": bajo})
stored_seat(fed, "ana", seat_content(alto, credential))
"""

from dataclasses import dataclass
from typing import Any

from ayllu.actions.record import do_append, do_found_assembly, do_import_record
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.ledger.record import Body, BodyKey, Entry
from ayllu.queries.federation_offices import get_federation_offices
from ayllu.queries.replayed import read_state

from .assemblies import T0, Assembly
from .charters import cargo_charter
from .federations import (
    FEDERATION,
    OFFICES,
    VOTED,
    accredit,
    accredit_office,
    back_petition,
    cite,
    federation_charter,
    found_home,
    give_federation_cargo,
    give_office_cargo,
    office_charter,
    office_content,
    petition_content,
    ratified_content,
    ratify_at_home,
    seat_content,
    state_mandate,
    vote_content,
)
from .keys import keypair
from .records import founding_act, signed
from .scenes import Clock

VISIBLE = frozenset(("public", "members"))


def hold(home: Assembly, *, checkpoint: bool = False) -> None:
    """Keep a verified copy of an in-memory home record on this node (as a member node follows it); with
    `checkpoint`, also its node's checkpoint of its head (what a citation of its entries needs)."""
    bodies: dict[BodyKey, Body] = {b.key: b for b in home.bodies.values()}
    raws = [e.raw for e in home.entries]
    signed = [cite(home, home.entries[-1]).checkpoint.raw] if checkpoint else []
    report = do_import_record(
        home.log, entries=raws, bodies=dict(bodies), checkpoints=signed, visible=VISIBLE, workers=1
    )
    assert report.ok, report


def found_stored_federation(delegates: dict[str, Assembly], *, charter: dict[str, Any] | None = None) -> str:
    """Found a federation on this node through the write path; return its log id."""
    act, body = founding_act(
        [(keypair(name), home.log) for name, home in delegates.items()],
        name="Federación de juntas vecinales",
        founded_at=T0,
        charter=federation_charter() if charter is None else charter,
    )
    do_found_assembly(signed_act=act, body=body)
    return act.act.log


def stored_seat(federation: str, delegate: str, content: dict[str, Any]) -> int:
    """Sign a seat as `delegate` and append it to the federation held here; return its seq."""
    return stored_act(federation, delegate, "federation.seated", content)


@dataclass
class SeatedFederation:
    """Two home assemblies sealed in memory (alto held on this node, bajo not) and a federation founded
    here by ana (alto) and dora (bajo), in which alto's delegate took a seat."""

    alto: Assembly
    bajo: Assembly
    log: str
    delegate: str


def seated_federation(clock: Clock) -> SeatedFederation:
    """Build the scene on this node, moving `clock` (this node's time) past the homes' entries."""
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    delegate = give_federation_cargo(alto, fed)
    credential = accredit(alto, delegate, fed)
    clock.now = max(clock.now, alto.clock + 1000)
    hold(alto)
    stored_seat(fed, delegate, seat_content(alto, credential))
    return SeatedFederation(alto, bajo, fed, delegate)


def homes_held_and_credential(clock: Clock) -> tuple[Assembly, Assembly, str, str, Entry]:
    """Alto (held here) and bajo, a federation founded here by ana and dora, and the credential alto's
    delegate issued for it (not yet cited): (alto, bajo, federation, delegate, credential)."""
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    delegate = give_federation_cargo(alto, fed)
    credential = accredit(alto, delegate, fed)
    clock.now = max(clock.now, alto.clock + 1000)
    hold(alto)
    return alto, bajo, fed, delegate, credential


# --- offices by turn and overflow petitions -----------------------------------------------------------


@dataclass
class OfficeScene:
    """Three homes held here (citable) and a federation founded here by ana, dora and gina, with a
    convenor and a spokesperson by turn; the assembly whose convenor turn it is (`turn`) gave the office's
    cargo to `holder`, who issued `credential` (not cited yet)."""

    homes: list[Assembly]
    log: str
    turn: Assembly
    holder: str
    credential: Entry
    # each home's decision to back a petition convening a plenary at `plenary` (not cited yet)
    backings: list[Entry]
    plenary: int


def office_scene(clock: Clock, *, petition_assemblies: int = 2, represents: str = "") -> OfficeScene:
    """Build the scene on this node, moving `clock` (this node's time) past the homes' entries; with
    `represents`, the convenor represents the federation in that higher federation (decision 0029)."""
    clock.now = max(clock.now, T0)
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    homes.append(found_home(["gina", "hilda", "ines"]))
    charter = office_charter(petition_assemblies=petition_assemblies)
    if represents:
        offices = [{**OFFICES[0], "represents": represents}, *OFFICES[1:]]
        charter = federation_charter(offices=offices, petition_assemblies=petition_assemblies)
    fed = found_stored_federation({"ana": homes[0], "dora": homes[1], "gina": homes[2]}, charter=charter)
    offices = get_federation_offices(fed, now=clock.now)
    assert offices is not None
    convenor = next(o for o in offices.offices if o.office == "convenor")
    assert convenor.current is not None
    turn = next(h for h in homes if h.log == convenor.current.assembly)
    holder = give_office_cargo(turn, fed, "convenor")
    credential = accredit_office(turn, holder, fed, "convenor", days=60)
    plenary = clock.now + 10 * DAY_MS
    backings = [back_petition(home, fed, "convene", starts=plenary) for home in homes]
    clock.now = max(clock.now, *(h.clock + 1000 for h in homes))
    for home in homes:
        hold(home, checkpoint=True)
    return OfficeScene(homes, fed, turn, holder, credential, backings, plenary)


def stored_act(log: str, who: str, type: str, content: dict[str, Any], *, vis: str = "public") -> int:
    """Sign an act as `who` (its words under `vis`) and append it to a record held here; return its seq."""
    act, body = signed(keypair(who), log=log, type=type, content=content, vis=vis)
    return do_append(log, signed_act=act, body=body).seq


@dataclass
class ResolvedFederation:
    """Alto, bajo and sur sealed in memory (none held here yet: each decides first, then `hold` it); a
    federation founded here by ana (alto), dora (bajo) and gina (sur), in which each home seated a
    delegate who cast its voice, mandated at home, to adopt resolution `resolution`."""

    alto: Assembly
    bajo: Assembly
    sur: Assembly
    log: str
    resolution: int


def resolved_federation(
    clock: Clock, *, share: str = "1/2", days: int = 30, vis: str = "public"
) -> ResolvedFederation:
    """Build the scene on this node: each home seats a delegate; alto's tables the resolution (its words
    under `vis`) and opens its question; each home decides and states its mandate "yes" and its delegate
    votes; alto's closes it once the recall grace time passed."""
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    sur = found_home(["gina", "hilda", "ines", "juana", "karen"])
    homes = (alto, bajo, sur)
    charter = cargo_charter(federation=dict(FEDERATION))
    fed = found_stored_federation({"ana": alto, "dora": bajo, "gina": sur}, charter=charter)
    seats = []
    for home in homes:
        delegate = give_federation_cargo(home, fed)
        credential = accredit(home, delegate, fed)
        clock.now = max(clock.now, home.clock + 1000)
        stored_seat(fed, delegate, seat_content(home, credential))
        seats.append((delegate, credential))
    effect = {"rule": "assemblies", "share": share, "deadline": clock.now + days * DAY_MS}
    content = {"matter": "resolution", "title": "Paro cívico por el agua", "text": "", "effect": effect}
    chair = seats[0][0]  # a seated delegate acts as the federation's member
    resolution = stored_act(fed, chair, "proposal.tabled", content, vis=vis)
    clock.advance(DAY_MS)
    deadline = clock.now + DAY_MS
    question = stored_act(fed, chair, "question.opened", {"proposal": resolution, "deadline": deadline})
    for home, (delegate, credential) in zip(homes, seats, strict=True):
        mandate = state_mandate(home, fed, question, "yes")
        clock.now = max(clock.now, home.clock + 1000)
        stored_act(fed, delegate, VOTED, vote_content(home, credential, question, "yes", mandate))
    grace = read_state(fed, lambda s: s.rules.federation.recall_grace_ms)  # type: ignore[union-attr]
    clock.now = max(clock.now, deadline + grace + 1000)
    stored_act(fed, chair, "question.closed", {"question": question})
    return ResolvedFederation(alto, bajo, sur, fed, resolution)


def ratified_by_alto(clock: Clock) -> ResolvedFederation:
    """`resolved_federation` with alto and bajo held here (sur not), and the resolution alto ratified by
    its own decision, counted in the federation; bajo and sur have not answered."""
    built = resolved_federation(clock)
    recorded = ratify_at_home(built.alto, built.log, built.resolution)
    hold(built.alto)
    hold(built.bajo)
    stored_act(
        built.log, "zoe", "federation.ratified", ratified_content(built.alto, recorded, built.resolution)
    )
    return built


@dataclass
class SuspendedOffice:
    """Three homes held here (citable) and a federation founded here with a convenor by turn: the holder
    the turn's assembly named took the office, and the two other assemblies (`voters`, each with its
    delegate seated) suspended them by petition, opening recall vote `recall` (the second petition's
    seq); each voter decided and stated its mandate "confirm" on it (not cited yet)."""

    log: str
    recall: int
    # (home, its seated delegate, the credential the seat cites, the stated mandate)
    voters: list[tuple[Assembly, str, Entry, Entry]]

    def ballot(self, voter: int, choice: str) -> dict[str, Any]:
        """The body of voter `voter`'s delegate's recall vote, citing its credential and mandate."""
        home, _, credential, mandate = self.voters[voter]
        content = vote_content(home, credential, self.recall, choice, mandate)
        content["recall"] = content.pop("question")
        return content


def suspended_office(clock: Clock) -> SuspendedOffice:
    """Build the scene on this node, moving `clock` (this node's time) past the homes' entries."""
    clock.now = max(clock.now, T0)
    homes = [found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])]
    homes.append(found_home(["gina", "hilda", "ines"]))
    fed = found_stored_federation(
        {"ana": homes[0], "dora": homes[1], "gina": homes[2]},
        charter=office_charter(petition_assemblies=2, recall_vote_days=7),
    )
    offices = get_federation_offices(fed, now=clock.now)
    assert offices is not None
    convenor = next(o for o in offices.offices if o.office == "convenor").current
    assert convenor is not None
    turn = next(h for h in homes if h.log == convenor.assembly)
    holder = give_office_cargo(turn, fed, "convenor")
    office = accredit_office(turn, holder, fed, "convenor", days=60)
    others = [h for h in homes if h is not turn]
    seats = []
    for home in others:
        delegate = give_federation_cargo(home, fed)
        seats.append((delegate, accredit(home, delegate, fed)))
    backings = [
        back_petition(h, fed, "suspend", office="convenor", holder=keypair(holder).public) for h in others
    ]
    # the federation's entries: its founding, then the office taken, two seats, two petitions (the
    # second suspends the holder and opens the recall vote)
    recall = 6
    mandates = [state_mandate(h, fed, recall, "confirm") for h in others]
    clock.now = max(clock.now, *(h.clock + 1000 for h in homes))
    for home in homes:
        hold(home, checkpoint=True)
    stored_act(fed, "lola", "federation.office_taken", office_content(turn, office))
    for home, (delegate, credential) in zip(others, seats, strict=True):
        stored_seat(fed, delegate, seat_content(home, credential))
    for home, backing in zip(others, backings, strict=True):
        suspended = stored_act(fed, "lola", "federation.petition_cited", petition_content(home, backing))
    assert suspended == recall
    voters = [(h, d, c, m) for h, (d, c), m in zip(others, seats, mandates, strict=True)]
    return SuspendedOffice(fed, recall, voters)
