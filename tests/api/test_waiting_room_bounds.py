"""Ten thousand strangers applying leave the record as it was and the waiting room within its limit."""

import hashlib

import pytest

from ayllu.actions.waiting_room import WaitingRoomFull, check_wait_act
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import make_body, sign_act
from ayllu.storage import models
from factories.api import ApiAssembly

STRANGERS = 10_000


def record_bytes(log: str) -> tuple[int, str, str]:
    """The record's entry count, head, and a hash over every entry's exact bytes."""
    record = models.Record.objects.get(log=log)
    digest = hashlib.sha256()
    for header in models.Entry.objects.filter(record=record).order_by("seq").values_list("header", flat=True):
        digest.update(bytes(header))
    return models.Entry.objects.filter(record=record).count(), record.head_hash, digest.hexdigest()


# About 20 s of one core: left out of `make test-fast`.
@pytest.mark.slow
def test_ten_thousand_strangers_change_nothing_in_the_record(assembly: ApiAssembly, settings) -> None:
    # given: the node keeps at most 2,000 waiting acts, 20 per address
    settings.AYLLU_WAITING_LIMIT = 2_000
    settings.AYLLU_WAITING_PER_ADDRESS = 20
    before = record_bytes(assembly.log)
    refused = 0
    # when: 10,000 fresh keys apply from 500 addresses, through the write function every interface calls
    for n in range(STRANGERS):
        stranger = Keypair.from_seed(hashlib.sha256(f"stranger-{n}".encode()).digest())
        body = make_body({"household": f"h-{n}"}, vis="public")
        signed = sign_act(stranger, log=assembly.log, type="member.applied", body=body, nonce=f"n{n}")
        try:
            check_wait_act(assembly.log, signed_act=signed, body=body, address=f"198.51.{n % 500}.1")
        except WaitingRoomFull:
            refused += 1
    # then: the record is byte for byte what it was; the room holds exactly its limit
    assert record_bytes(assembly.log) == before
    assert models.WaitingAct.objects.count() == 2_000
    assert refused == STRANGERS - 2_000
