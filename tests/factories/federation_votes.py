"""A federation's question voted by its member assemblies' seated delegates, in memory.

scene = delegations()                       # two homes, a federation deciding by majority, one seat each
question = open_federation_question(scene.fed)
mandate = state_mandate(scene.alto, scene.fed.log, question, "yes")   # decided at home, then stated
scene.fed.act(scene.alto_delegate, VOTED, vote_content(scene.alto, scene.alto_seat, question, "yes", mandate))
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.ledger.record import Entry

from .assemblies import Assembly
from .charters import MAJORITY, quick_charter
from .federations import (
    FEDERATION,
    MANDATED,
    VOTED,
    accredit,
    close_after_grace,
    found_federation,
    found_home,
    give_federation_cargo,
    seat_content,
    standing_name,
    state_mandate,
    vote_content,
)
from .keys import pub

__all__ = ["MANDATED", "VOTED", "close_after_grace", "state_mandate", "vote_content"]


@dataclass
class Delegations:
    alto: Assembly
    bajo: Assembly
    fed: Assembly
    alto_delegate: str
    bajo_delegate: str
    alto_credential: Entry
    bajo_credential: Entry


def majority_federation_charter() -> dict[str, Any]:
    """A federation whose ordinary decisions pass by majority."""
    return quick_charter(
        federation=dict(FEDERATION), methods={**quick_charter()["methods"], "ordinary": dict(MAJORITY)}
    )


def delegations() -> Delegations:
    """Two home assemblies, founders of a federation deciding by majority, each with one delegate seated."""
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_federation({"ana": alto, "dora": bajo}, charter=majority_federation_charter())
    delegates, credentials = [], []
    for home in (alto, bajo):
        delegate = give_federation_cargo(home, fed.log)
        credential = accredit(home, delegate, fed.log)
        fed.clock = max(fed.clock, home.clock)
        fed.act(delegate, "federation.seated", seat_content(home, credential))
        delegates.append(delegate)
        credentials.append(credential)
    return Delegations(alto, bajo, fed, delegates[0], delegates[1], credentials[0], credentials[1])


def open_federation_question(fed: Assembly, *, by: str = "", voting_ms: int = 100_000) -> int:
    """A seated delegate tables an ordinary proposal in the federation and opens its question between
    meetings."""
    by = by or standing_name(fed)
    return fed.open_question(by, fed.table(by), voting_ms=voting_ms)


def recall_delegate(home: Assembly, delegate: str) -> int:
    """The home assembly recalls `delegate` from their cargo by petition; return the recall's time."""
    others = [n for n in ("ana", "bea", "carla") if n != delegate]
    reason = {"cargo": "delegado", "member": pub(delegate), "reason": "no obedece"}
    petition = home.act(others[0], "recall.petitioned", reason)
    question = home.act(others[1], "recall.signed", {"petition": petition.seq}).seq
    for name in others:
        home.vote(name, question, "yes")
    return home.close_after_deadline(others[0], question).time
