"""A federation's question voted by its member assemblies' seated delegates, in memory.

scene = delegations()                       # two homes, a federation deciding by majority, one seat each
question = open_federation_question(scene.fed)
mandate = state_mandate(scene.alto, scene.fed.log, question, "yes")   # decided at home, then stated
scene.fed.act(scene.alto_delegate, VOTED, vote_content(scene.alto, scene.alto_seat, question, "yes", mandate))
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.ledger.record import Entry

from .assemblies import Assembly, asm_names, decide
from .charters import MAJORITY, quick_charter
from .federations import (
    FEDERATION,
    accredit,
    cite,
    found_federation,
    found_home,
    give_federation_cargo,
    seat_content,
)
from .keys import pub

VOTED = "federation.voted"
MANDATED = "delegate.mandated"


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


def open_federation_question(fed: Assembly, *, by: str = "ana", voting_ms: int = 100_000) -> int:
    """A founder tables an ordinary proposal in the federation and opens its question between meetings."""
    return fed.open_question(by, fed.table(by), voting_ms=voting_ms)


def state_mandate(home: Assembly, federation: str, question: int, position: str, *, by: str = "") -> Entry:
    """The home assembly decides its mandate on the federation's question, and a member states it."""
    decide(home, "mandate", {"body": federation, "question": str(question), "position": position})
    member = by or asm_names(home)[0]
    return home.act(member, MANDATED, {"federation": federation, "question": question, "position": position})


def vote_content(
    home: Assembly, credential: Entry, question: int, choice: str, mandate: Entry | None = None
) -> dict[str, Any]:
    """The body of `federation.voted` citing `credential` (and `mandate`, unless abstaining) of `home`."""
    content: dict[str, Any] = {
        "question": question,
        "choice": choice,
        "cites": [cite(home, credential).as_json()],
    }
    if mandate is not None:
        content["cites"].append(cite(home, mandate).as_json())
        content["mandate"] = home.bodies[mandate.act.body].content()
    return content


def close_after_grace(fed: Assembly, question: int, *, by: str = "ana") -> Entry:
    """A founder closes the federation's question once its deadline and the recall grace time passed."""
    grace = fed.state.rules.federation
    assert grace is not None
    fed.clock = max(fed.clock, fed.state.questions[question].deadline + grace.recall_grace_ms)
    return fed.act(by, "question.closed", {"question": question})


def recall_delegate(home: Assembly, delegate: str) -> int:
    """The home assembly recalls `delegate` from their cargo by petition; return the recall's time."""
    others = [n for n in ("ana", "bea", "carla") if n != delegate]
    reason = {"cargo": "delegado", "member": pub(delegate), "reason": "no obedece"}
    petition = home.act(others[0], "recall.petitioned", reason)
    question = home.act(others[1], "recall.signed", {"petition": petition.seq}).seq
    for name in others:
        home.vote(name, question, "yes")
    return home.close_after_deadline(others[0], question).time
