"""A federation held on this node whose question alto's seated delegate may vote, mandated at home.

scene = mandated_federation(clock)        # alto held here with its credential and mandate; bajo not held
act_request(scene.log, scene.delegate, "federation-vote", **vote_content(...))
"""

from dataclasses import dataclass
from typing import Any

from ayllu.actions.record import do_append, do_import_record
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.ledger.checkpoints import sign_checkpoint
from ayllu.core.ledger.merkle import root_of
from ayllu.core.ledger.record import Body, BodyKey, Entry

from .assemblies import T0, Assembly, decide
from .federation_votes import majority_federation_charter, recall_delegate, state_mandate, vote_content
from .federations import accredit, found_home, give_federation_cargo, seat_content
from .federations_stored import VISIBLE, found_stored_federation, hold, stored_seat
from .keys import keypair
from .records import signed
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


def stored_act(federation: str, who: str, type: str, content: dict[str, Any]) -> int:
    """Sign an act as `who` and append it to the record held here; return its seq."""
    act, body = signed(keypair(who), log=federation, type=type, content=content)
    return do_append(federation, signed_act=act, body=body).seq


def hold_checkpointed(home: Assembly) -> None:
    """Keep a verified copy of `home` here with its node's checkpoint of its head, as a member node that
    follows it keeps one: what `get_citation` cites against."""
    hashes = [e.hash for e in home.entries]
    checkpoint = sign_checkpoint(
        home.node, log=home.log, size=len(hashes), root=root_of(hashes), time=home.entries[-1].time + 1
    )
    bodies: dict[BodyKey, Body] = {b.key: b for b in home.bodies.values()}
    report = do_import_record(
        home.log, entries=[e.raw for e in home.entries], bodies=bodies, checkpoints=[checkpoint.raw],
        visible=VISIBLE, workers=1,
    )  # fmt: skip
    assert report.ok, report


def mandated_federation(
    clock: Clock, *, position: str = "yes", stated: bool = True, checkpointed: bool = False
) -> MandatedFederation:
    """Alto and bajo found a federation here deciding by majority; ana opens a question; alto decides
    its mandate on it, states it (unless not `stated`), and its delegate takes a seat (alto's record held
    here)."""
    clock.now = max(clock.now, T0)
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo}, charter=majority_federation_charter())
    tabled = {"matter": "ordinary", "title": "Tarifa del agua", "text": "", "effect": {}}
    proposal = stored_act(fed, "ana", "proposal.tabled", tabled)
    clock.advance(5000)
    question = stored_act(
        fed, "ana", "question.opened", {"proposal": proposal, "deadline": clock.now + DAY_MS}
    )
    delegate = give_federation_cargo(alto, fed)
    credential = accredit(alto, delegate, fed)
    if stated:
        mandate = state_mandate(alto, fed, question, position)
    else:  # decided at home, not yet stated for the federation
        decide(alto, "mandate", {"body": fed, "question": str(question), "position": position})
        mandate = alto.entries[-1]
    clock.now = max(clock.now, alto.clock + 1000)
    (hold_checkpointed if checkpointed else hold)(alto)
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
    hold_checkpointed(alto)
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
    hold_checkpointed(alto)
    stored_seat(fed, delegate, seat_content(alto, credential))
    return alto, fed, delegate
