"""Moving a record to another node from the browser (docs/federation.md, section 5).

Members endorse the move on their own devices: each signs the move statement (`core.ledger.succession`)
and this node keeps the endorsement, like a founding draft's, in `MoveEndorsement` rows. Once more than
half of the active members endorsed, one of them signs the `record.moved` act, which is appended like
any act (`do_append`); replay checks every endorsement again.

An endorsement names the exact place the move continues from (`after`, the record's head), so one made
before the head moved on can no longer be used: it is deleted when the next endorsement is kept.
"""

from django.db import transaction

from ayllu.core.errors import DomainError, MalformedBody
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.keys import (
    ENDORSE_CONTEXT,
    HEX_KEY_LENGTH,
    HEX_SIGNATURE_LENGTH,
    is_hex,
    verify_signature,
)
from ayllu.core.ledger.succession import move_statement
from ayllu.storage import models


class MoveEndorsementError(DomainError):
    code = "move_endorsement_error"


class MoveHeadMoved(MoveEndorsementError):
    """The endorsement continues after an entry that is no longer the record's head (detail: after, head)."""

    code = "move_head_moved"
    status = 409


class MoveBadSignature(MoveEndorsementError):
    """The endorsement's signature is not the member's over the move statement."""

    code = "move_bad_signature"
    status = 400


class MoveToSameNode(MoveEndorsementError):
    """The move names the node that already seals the record (detail: node)."""

    code = "move_to_same_node"
    status = 400


def check_endorse_move(
    log: str, *, member: str, key: str, node: str, after: str, sig: str, head: str, sealer: str
) -> None:
    """Keep `member`'s endorsement (signed by their current `key`) of moving `log` to `node`, continuing
    after entry `after`, which must be the record's `head`; `sealer` is the node that seals it now.

    The caller checks that `member` is an active member whose current key is `key`.
    """
    if not is_hex(node, HEX_KEY_LENGTH):
        raise MalformedBody(field="node")
    if not is_hex(after, HEX_KEY_LENGTH):
        raise MalformedBody(field="after")
    if not is_hex(sig, HEX_SIGNATURE_LENGTH):
        raise MalformedBody(field="sig")
    if after != head:
        raise MoveHeadMoved(after=after, head=head)
    if node == sealer:
        raise MoveToSameNode(node=node)
    message = canonical_bytes(move_statement(log=log, node=node, after=after))
    if not verify_signature(key, ENDORSE_CONTEXT, message, sig):
        raise MoveBadSignature(key=key)
    do_keep_move_endorsement(log, member=member, key=key, node=node, after=after, sig=sig)


def do_keep_move_endorsement(log: str, *, member: str, key: str, node: str, after: str, sig: str) -> None:
    """Store a checked endorsement (a member's new one for the same move replaces theirs), and drop the
    endorsements of the record made at a head it has moved past."""
    with transaction.atomic():
        models.MoveEndorsement.objects.filter(log=log).exclude(after=after).delete()
        models.MoveEndorsement.objects.update_or_create(
            log=log, after=after, node=node, member=member, defaults={"key": key, "sig": sig}
        )
