"""Checkpoints and receipts: exact signed bytes, their own signature context, and append-only rules."""

import pytest

from ayllu.core.errors import (
    BadCheckpointSignature,
    BadReceiptSignature,
    DomainError,
    InconsistentCheckpoint,
    MalformedCheckpoint,
    MalformedReceipt,
    NonCanonical,
)
from ayllu.core.ledger.canonical import canonical_bytes, parse_canonical
from ayllu.core.ledger.checkpoints import (
    check_checkpoint_consistent,
    check_may_sign_checkpoint,
    parse_checkpoint,
    parse_receipt,
    sign_checkpoint,
    sign_next_checkpoint,
    sign_receipt,
)
from ayllu.core.ledger.keys import CHECKPOINT_CONTEXT, RECEIPT_CONTEXT
from ayllu.core.ledger.merkle import consistency_proof, root_of
from factories.keys import keypair
from factories.records import FIXED_TIME

LOG = "ab" * 32
HASHES = [f"{i:064x}" for i in range(1, 12)]


def checkpoint_at(size: int, *, node: str = "node-1", hashes: list[str] = HASHES) -> bytes:
    return sign_checkpoint(
        keypair(node), log=LOG, size=size, root=root_of(hashes[:size]), time=FIXED_TIME
    ).raw


def test_a_checkpoint_round_trips_through_its_exact_bytes() -> None:
    # given
    raw = checkpoint_at(5)
    # when
    cp = parse_checkpoint(raw)
    # then
    assert (cp.log, cp.size, cp.root, cp.node) == (LOG, 5, root_of(HASHES[:5]), keypair("node-1").public)
    assert cp.raw == raw == canonical_bytes(parse_canonical(raw))


def test_a_checkpoint_is_signed_over_its_context_and_the_object_without_sig() -> None:
    # given
    obj = parse_canonical(checkpoint_at(3))
    sig = obj.pop("sig")
    # when
    expected = keypair("node-1").sign(CHECKPOINT_CONTEXT, canonical_bytes(obj))
    # then
    assert sig == expected


def test_a_receipt_is_signed_over_the_receipt_context() -> None:
    # given
    receipt = sign_receipt(keypair("node-1"), log=LOG, seq=4, entry=HASHES[3], time=FIXED_TIME)
    obj = parse_canonical(receipt.raw)
    sig = obj.pop("sig")
    # when / then
    assert sig == keypair("node-1").sign(RECEIPT_CONTEXT, canonical_bytes(obj))
    assert parse_receipt(receipt.raw) == receipt


def test_a_receipt_signature_is_not_a_checkpoint_signature() -> None:
    # given: a checkpoint-shaped object signed with the receipt context
    obj = {"v": 1, "log": LOG, "size": 2, "root": root_of(HASHES[:2]), "time": 0, "node": keypair("n").public}
    obj["sig"] = keypair("n").sign(RECEIPT_CONTEXT, canonical_bytes(obj))
    # when / then
    with pytest.raises(BadCheckpointSignature):
        parse_checkpoint(canonical_bytes(obj))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda o: o.update(size=o["size"] + 1), BadCheckpointSignature),
        (lambda o: o.update(root="00" * 32), BadCheckpointSignature),
        (lambda o: o.update(node=keypair("other").public), BadCheckpointSignature),
        (lambda o: o.update(size=-1), MalformedCheckpoint),
        (lambda o: o.update(size=True), MalformedCheckpoint),
        (lambda o: o.update(root="AB" * 32), MalformedCheckpoint),
        (lambda o: o.update(extra=1), MalformedCheckpoint),
        (lambda o: o.pop("time"), MalformedCheckpoint),
        (lambda o: o.update(v=2), MalformedCheckpoint),
    ],
)
def test_a_tampered_checkpoint_is_refused(change: object, error: type[DomainError]) -> None:
    # given
    obj = parse_canonical(checkpoint_at(4))
    change(obj)  # type: ignore[operator]
    # when / then
    with pytest.raises(error):
        parse_checkpoint(canonical_bytes(obj))


def test_non_canonical_checkpoint_bytes_are_refused() -> None:
    # given
    raw = checkpoint_at(4).replace(b'"log":', b'"log" :')
    # when / then
    with pytest.raises(NonCanonical):
        parse_checkpoint(raw)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda o: o.update(seq=o["seq"] + 1), BadReceiptSignature),
        (lambda o: o.update(entry=HASHES[0]), BadReceiptSignature),
        (lambda o: o.update(seq=0), MalformedReceipt),
        (lambda o: o.update(entry="x"), MalformedReceipt),
    ],
)
def test_a_tampered_receipt_is_refused(change: object, error: type[DomainError]) -> None:
    # given
    obj = parse_canonical(sign_receipt(keypair("node-1"), log=LOG, seq=4, entry=HASHES[3], time=1).raw)
    change(obj)  # type: ignore[operator]
    # when / then
    with pytest.raises(error):
        parse_receipt(canonical_bytes(obj))


def test_a_later_checkpoint_of_the_same_record_is_consistent() -> None:
    # given
    old, new = parse_checkpoint(checkpoint_at(3)), parse_checkpoint(checkpoint_at(11))
    # when / then
    check_checkpoint_consistent(old, new, consistency_proof(HASHES, old_size=3))


def test_a_checkpoint_of_a_rewritten_history_is_inconsistent() -> None:
    # given: the same size-3 prefix, but entry 2 rewritten before the record grew
    rewritten = [HASHES[0], "ff" * 32, *HASHES[2:]]
    old, new = parse_checkpoint(checkpoint_at(3)), parse_checkpoint(checkpoint_at(11, hashes=rewritten))
    # when / then
    with pytest.raises(InconsistentCheckpoint):
        check_checkpoint_consistent(old, new, consistency_proof(rewritten, old_size=3))


def test_a_checkpoint_never_shrinks() -> None:
    # given
    old, new = parse_checkpoint(checkpoint_at(6)), parse_checkpoint(checkpoint_at(4))
    # when / then
    with pytest.raises(InconsistentCheckpoint) as caught:
        check_checkpoint_consistent(old, new, [])
    assert caught.value.detail["reason"] == "shrank"


def test_a_node_refuses_to_sign_a_checkpoint_that_contradicts_its_last_one() -> None:
    # given
    last = parse_checkpoint(checkpoint_at(5))
    forked = [*HASHES[:4], "ee" * 32, *HASHES[5:]]
    # when / then
    with pytest.raises(InconsistentCheckpoint):
        sign_next_checkpoint(
            keypair("node-1"),
            last=last,
            log=LOG,
            size=8,
            root=root_of(forked[:8]),
            proof=consistency_proof(forked[:8], old_size=5),
            time=FIXED_TIME,
        )
    with pytest.raises(InconsistentCheckpoint):
        check_may_sign_checkpoint(last, log=LOG, size=5, root=root_of(forked[:5]), proof=[])


def test_a_node_signs_a_checkpoint_that_extends_its_last_one() -> None:
    # given
    last = parse_checkpoint(checkpoint_at(5))
    # when
    cp = sign_next_checkpoint(
        keypair("node-1"),
        last=last,
        log=LOG,
        size=9,
        root=root_of(HASHES[:9]),
        proof=consistency_proof(HASHES[:9], old_size=5),
        time=FIXED_TIME,
    )
    # then
    assert parse_checkpoint(cp.raw) == cp
    check_may_sign_checkpoint(None, log=LOG, size=1, root=root_of(HASHES[:1]), proof=[])
