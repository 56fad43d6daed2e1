"""A federation held on this node whose question alto's seated delegate may vote, mandated at home.

scene = mandated_federation(clock)        # alto held here with its credential and mandate; bajo not held
act_request(scene.log, scene.delegate, "federation-vote", **vote_content(...))
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.charter.rules import DAY_MS
from ayllu.core.ledger.record import Entry

from .assemblies import T0, Assembly, decide
from .federation_votes import majority_federation_charter, recall_delegate, state_mandate, vote_content
from .federations import accredit, found_home, give_federation_cargo, seat_content
from .federations_stored import found_stored_federation, hold, stored_act, stored_seat
from .scenes import Clock


@dataclass
class MandatedFederation:
    alto: Assembly
    bajo: Assembly
    log: str
    delegate: str
    credential: Entry
    question: int
    mandate: Entry

    def vote(self, choice: str, *, mandated: bool = True) -> dict[str, Any]:
        """The body of alto's delegate's vote on the question, citing the mandate unless not `mandated`."""
        return vote_content(
            self.alto, self.credential, self.question, choice, self.mandate if mandated else None
        )


def mandated_federation(
    clock: Clock, *, position: str = "yes", stated: bool = True, checkpointed: bool = False
) -> MandatedFederation:
    """Alto and bajo found a federation here deciding by majority; bajo's seated delegate opens a
    question; alto decides
    its mandate on it, states it (unless not `stated`), and its delegate takes a seat (alto's record held
    here)."""
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo}, charter=majority_federation_charter())
    # bajo's delegate takes a seat (bajo's record not held here: checked by proof) and acts as the
    # federation's member: tables the proposal and opens its question
    chair = give_federation_cargo(bajo, fed)
    seat = seat_content(bajo, accredit(bajo, chair, fed))
    clock.now = max(clock.now, bajo.clock + 1000)
    stored_seat(fed, chair, seat)
    tabled = {"matter": "ordinary", "title": "Tarifa del agua", "text": "", "effect": {}}
    proposal = stored_act(fed, chair, "proposal.tabled", tabled)
    clock.advance(5000)
    question = stored_act(
        fed, chair, "question.opened", {"proposal": proposal, "deadline": clock.now + DAY_MS}
    )
    delegate = give_federation_cargo(alto, fed)
    credential = accredit(alto, delegate, fed)
    if stated:
        mandate = state_mandate(alto, fed, question, position)
    else:  # decided at home, not yet stated for the federation
        decide(alto, "mandate", {"body": fed, "question": str(question), "position": position})
        mandate = alto.entries[-1]
    clock.now = max(clock.now, alto.clock + 1000)
    hold(alto, checkpoint=checkpointed)
    stored_seat(fed, delegate, seat_content(alto, credential))
    return MandatedFederation(alto, bajo, fed, delegate, credential, question, mandate)


def credential_ready(clock: Clock) -> tuple[Assembly, str, str]:
    """Alto (held here with its checkpoint) and bajo found a federation here; alto's delegate issued a
    credential for it, not yet cited: (alto, federation, delegate)."""
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo}, charter=majority_federation_charter())
    delegate = give_federation_cargo(alto, fed)
    accredit(alto, delegate, fed)
    clock.now = max(clock.now, alto.clock + 1000)
    hold(alto, checkpoint=True)
    return alto, fed, delegate


def recalled_delegate(clock: Clock, *, stated: bool) -> tuple[Assembly, str, str]:
    """Alto's delegate, seated in a federation founded here, was recalled at home (alto held here with
    its checkpoint); the recall is stated for the federation when `stated`: (alto, federation, delegate)."""
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo}, charter=majority_federation_charter())
    delegate = give_federation_cargo(alto, fed)
    credential = accredit(alto, delegate, fed)
    at = recall_delegate(alto, delegate)
    if stated:
        member = next(n for n in ("ana", "bea", "carla") if n != delegate)
        alto.act(member, "delegate.withdrawn", {"federation": fed, "credential": credential.seq, "at": at})
    clock.now = max(clock.now, alto.clock + 1000)
    hold(alto, checkpoint=True)
    stored_seat(fed, delegate, seat_content(alto, credential))
    return alto, fed, delegate
