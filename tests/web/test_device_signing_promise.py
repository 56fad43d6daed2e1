"""Promise 1: no one can forge a member's act, not even the node that keeps the record.

An act counts only with the signature of the member's own device key. Whatever the node (or anyone
else) makes up in a member's name is refused when it is submitted, and if the node writes it straight
into its own database, verification on this node and on every replica finds it.
"""

import pytest
from django.test import Client

from ayllu.actions.record import do_append, do_verify_record, node_keypair
from ayllu.core.errors import BadAuthorSignature
from ayllu.core.ledger.keys import ACT_CONTEXT, Keypair
from ayllu.core.ledger.merkle import Frontier
from ayllu.core.ledger.record import Act, Body, SignedAct, make_body, seal_entry
from ayllu.core.ledger.verify import verify_record
from ayllu.queries.record import get_bodies, iter_entry_bytes
from ayllu.storage import models
from factories.keys import keypair
from factories.stored import StoredAssembly, found, log_in_as

MEMBER = keypair(1)
OTHER_MEMBER = keypair(2)
NOTICE = "notice.posted"


@pytest.fixture
def assembly(db: None) -> StoredAssembly:
    return found("Junta Vecinal Villa Esperanza", members=(keypair(1), keypair(2), keypair(3)))


def forged_notice(log: str, *, signer: Keypair, text: str = "convocatoria falsa") -> tuple[SignedAct, Body]:
    """A notice in MEMBER's name whose signature is made by `signer` instead of MEMBER's device."""
    body = make_body({"text": text}, vis="public")
    act = Act(log=log, type=NOTICE, author=MEMBER.public, vis="public", body=body.hash, nonce="forged1")
    return SignedAct(act, signer.sign(ACT_CONTEXT, act.signing_bytes())), body


def forgers() -> dict[str, Keypair]:
    return {"node": node_keypair(), "other-member": OTHER_MEMBER, "stranger": keypair(99)}


@pytest.mark.parametrize("forger", ["node", "other-member", "stranger"])
def test_do_append_refuses_an_act_not_signed_by_the_members_device(
    assembly: StoredAssembly, forger: str
) -> None:
    # given
    before = models.Record.objects.get(log=assembly.log).head_seq
    signed, body = forged_notice(assembly.log, signer=forgers()[forger])
    # when
    with pytest.raises(BadAuthorSignature) as refused:
        do_append(assembly.log, signed_act=signed, body=body)
    # then
    assert refused.value.detail["author"] == MEMBER.public
    assert models.Record.objects.get(log=assembly.log).head_seq == before
    assert not models.Entry.objects.filter(
        record__log=assembly.log, author=MEMBER.public, type=NOTICE
    ).exists()


def test_the_same_act_signed_on_the_members_device_is_accepted(assembly: StoredAssembly) -> None:
    # given: the control case, so the refusals above are about the signature and nothing else
    signed, body = forged_notice(assembly.log, signer=MEMBER)
    # when
    receipt = do_append(assembly.log, signed_act=signed, body=body)
    # then
    assert receipt.seq == 2


def write_behind_the_record(log: str, signed: SignedAct, body: Body) -> int:
    """What a dishonest node could do: seal an entry itself and write it into its own database."""
    record = models.Record.objects.get(log=log)
    entry = seal_entry(
        signed, seq=record.head_seq + 1, prev=record.head_hash, time=1_800_000_000_000, node=node_keypair()
    )
    models.Entry.objects.create(
        record=record,
        seq=entry.seq,
        hash=entry.hash,
        header=entry.raw,
        act_id=entry.act.id(),
        type=entry.type,
        author=entry.author,
    )
    models.Body.objects.create(record=record, hash=body.hash, vis=body.vis, raw=body.raw)
    frontier = Frontier.from_json(record.frontier).append(entry.hash)
    models.Record.objects.filter(pk=record.pk).update(
        head_seq=entry.seq, head_hash=entry.hash, frontier=frontier.as_json()
    )
    return entry.seq


def test_an_entry_the_node_makes_up_fails_verification_here_and_on_a_replica(
    assembly: StoredAssembly,
) -> None:
    # given: the node signs a notice in a member's name with its own key and writes it in directly
    signed, body = forged_notice(assembly.log, signer=node_keypair())
    seq = write_behind_the_record(assembly.log, signed, body)
    # when
    here = do_verify_record(assembly.log, workers=1)
    bodies = get_bodies(assembly.log)
    replica = verify_record(assembly.log, list(iter_entry_bytes(assembly.log)), bodies=bodies.get)
    # then
    for report in (here, replica):
        assert not report.ok
        assert report.problem is not None
        assert (report.problem.seq, report.problem.code) == (seq, "bad_author_signature")
        assert report.size == seq - 1


def test_the_act_route_refuses_a_signature_the_member_did_not_make(
    client: Client, assembly: StoredAssembly
) -> None:
    # given: the member is logged in, and someone (a script injected by the node, say) signs for them
    log_in_as(client, assembly.log, MEMBER)
    signed, body = forged_notice(assembly.log, signer=node_keypair())
    payload = {"act": signed.act.as_json(), "body": body.raw.decode(), "asig": signed.asig}
    # when
    response = client.post(f"/en/assembly/{assembly.log}/acts/", payload, content_type="application/json")
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "bad_author_signature"
    assert models.Record.objects.get(log=assembly.log).head_seq == 1
