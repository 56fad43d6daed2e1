"""The waiting room: acts strangers sign wait outside the record until a member's act takes them in.

Every entry of a record is a member's act or an act a member's act sanctioned, so a key that is no
member's cannot make every replica keep its acts forever (docs/decisions/0011-strangers-wait-outside.md).
An act whose kind `waits_outside` (an application to join, a lost-key claim) is checked as an append
would check it (form, signature, the rules on the current state) and kept here as the exact bytes the
stranger signed. The first member's act that names the stranger (a sponsorship, a vouch, a tabled
admission or key replacement) enters the record right after it, in one transaction
(`do_append_taking_in`, actions/assembly.py).

The room is bounded: AYLLU_WAITING_PER_ADDRESS acts from one client address, AYLLU_WAITING_LIMIT on the
whole node; an act nobody took in for AYLLU_WAITING_DAYS has expired and is deleted by the next act that
waits, or by `ayllu prune`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from ayllu.core.errors import DomainError
from ayllu.core.ledger.record import Body, SignedAct
from ayllu.storage import clock, models
from ayllu.storage.db import lock_record, write_transaction
from ayllu.storage.waiting import alive_waiting as _alive
from ayllu.storage.waiting import ms as _ms
from ayllu.storage.waiting import signed_waiting, waiting_lifetime

from .record.append import (
    WAITING_TYPES,
    Submitted,
    check_act_fits_locked,
    check_signed_act,
    receipt_of_held_act,
)


class WaitingRoomFull(DomainError):
    """The node keeps no more waiting acts (detail: limit)."""

    code = "waiting_room_full"
    status = 429


class AddressWaitingFull(WaitingRoomFull):
    """The node keeps no more waiting acts from this client address (detail: limit)."""

    code = "address_waiting_full"


class AlreadyWaiting(DomainError):
    """The key already has another act waiting (detail: key, act: the waiting one's id).

    One act per key: the rules let a key be an applicant or a claimant, never both."""

    code = "already_waiting"
    status = 409


@dataclass(frozen=True, slots=True)
class Waiting:
    """A stranger's act waiting outside the record: the answer to the one who sent it."""

    log: str
    act: str
    type: str
    author: str
    received: int  # ms since the epoch
    expires: int  # ms since the epoch: deleted after this unless a member took it in
    duplicate: bool = False  # the act was already waiting: a resend, answered as the first time

    def as_json(self) -> dict[str, object]:
        first = {
            "log": self.log,
            "act": self.act,
            "type": self.type,
            "author": self.author,
            "received": self.received,
            "expires": self.expires,
        }
        return {**first, "duplicate": True} if self.duplicate else first


def _waiting(row: models.WaitingAct, log: str, *, duplicate: bool = False) -> Waiting:
    expires = row.received + waiting_lifetime()
    return Waiting(log, row.act_id, row.type, row.author, _ms(row.received), _ms(expires), duplicate)


def do_prune_waiting(*, moment: datetime | None = None) -> int:
    """Delete the waiting acts that expired by `moment` (default: now); return how many."""
    cutoff = (moment or clock.now_datetime()) - waiting_lifetime()
    deleted, _ = models.WaitingAct.objects.filter(received__lt=cutoff).delete()
    return deleted


def check_wait_act(log: str, *, signed_act: SignedAct, body: Body, address: str) -> Waiting | Submitted:
    """Keep a stranger's act in the waiting room once it is checked as an append would check it.

    Sending the same act again answers as the first time did, marked `duplicate`, without a second row;
    once a member took it in, with the receipt of the entry holding it (`Submitted.duplicate`). Either
    answer is found before the write lock: a resend is not counted against the sender's address
    (`rate_limits.check_anonymous_act`), so it must not take the lock either.
    """
    act = signed_act.act
    if act.type not in WAITING_TYPES:
        raise ValueError(f"{act.type} does not wait outside the record")
    act_id = check_signed_act(log, signed_act=signed_act, body=body)
    # An act id covers the record's id too (the act signs its log): unique on the whole node.
    same = models.WaitingAct.objects.filter(act_id=act_id, record__log=log).first()
    if same is not None and same.received >= clock.now_datetime() - waiting_lifetime():
        return _waiting(same, log, duplicate=True)
    held = receipt_of_held_act(log, signed_act)
    if held is not None:
        return Submitted(held, duplicate=True)
    _check_room(address)  # refused before waiting for the write lock, and checked again holding it
    with write_transaction(log=log):
        record = lock_record(log)
        do_prune_waiting()
        # The same act sent twice at once: the later request finds the earlier one's row once it holds
        # the lock, and is answered as a resend, not as another act of a waiting key.
        same = models.WaitingAct.objects.filter(record=record, act_id=act_id).first()
        if same is not None:
            return _waiting(same, log, duplicate=True)
        other = models.WaitingAct.objects.filter(record=record, author=act.author).first()
        if other is not None:
            raise AlreadyWaiting(key=act.author, act=other.act_id)
        _check_room(address)
        check_act_fits_locked(record, signed_act=signed_act, body=body)
        try:
            with transaction.atomic():  # a savepoint: a unique row lost to a racing writer is no 500
                row = models.WaitingAct.objects.create(
                    record=record,
                    act_id=act_id,
                    type=act.type,
                    author=act.author,
                    act=act.signing_bytes(),  # exactly what the stranger signed (after ACT_CONTEXT)
                    asig=signed_act.asig,
                    body=body.raw,
                    words=None if body.words is None else body.words.raw,
                    address=address[:64],
                )
        except IntegrityError:
            return _raced(log, act_id=act_id, author=act.author)
    return _waiting(row, log)


def _raced(log: str, *, act_id: str, author: str) -> Waiting:
    """The answer to an act whose row a racing request stored first (the act's or its key's unique row):
    the same act is a resend; another act of the key is refused as `check_wait_act` refuses it."""
    same = models.WaitingAct.objects.filter(act_id=act_id).first()
    if same is not None:
        return _waiting(same, log, duplicate=True)
    other = models.WaitingAct.objects.filter(record__log=log, author=author).first()
    raise AlreadyWaiting(key=author, act=other.act_id if other is not None else "")


def _check_room(address: str) -> None:
    per_address = int(settings.AYLLU_WAITING_PER_ADDRESS)
    if models.WaitingAct.objects.filter(address=address[:64]).count() >= per_address:
        raise AddressWaitingFull(limit=per_address)
    limit = int(settings.AYLLU_WAITING_LIMIT)
    if models.WaitingAct.objects.count() >= limit:
        raise WaitingRoomFull(limit=limit)


def waiting_taken_in(log: str, keys: Iterable[str]) -> list[tuple[SignedAct, Body]]:
    """The waiting acts of the strangers whose keys a member's act names, oldest first."""
    wanted = list(keys)
    if not wanted:
        return []
    rows = _alive(log).filter(author__in=wanted).order_by("received", "pk")
    return [signed_waiting(row) for row in rows]


def get_waiting(log: str, *, key: str) -> Waiting | None:
    """The act `key` has waiting in the assembly of `log`, if any."""
    row = _alive(log).filter(author=key).order_by("received").first()
    return None if row is None else _waiting(row, log)
