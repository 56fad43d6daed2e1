"""/fed/ proofs come from block roots kept in the cache: a proof reads a block or two of entries, not
the whole record, and still checks out against the record's own tree."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state
from ayllu.core.ledger.merkle import check_consistency, check_inclusion, root_of
from ayllu.core.ledger.record import sha256_hex
from ayllu.queries import record_tree, replication
from ayllu.storage import models
from factories.records import MEMBERS
from factories.stored import found, signed_notice

BLOCK = 8
SIZE = 61  # seven whole blocks and a part


@pytest.fixture
def log(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A public record of SIZE entries, proofs read in blocks of BLOCK entries."""
    monkeypatch.setattr(record_tree, "BLOCK", BLOCK)
    forget_replayed_state()
    cache.clear()
    log = found().log
    append_notices(log, SIZE - models.Entry.objects.filter(record__log=log).count())
    yield log
    cache.clear()


def append_notices(log: str, count: int) -> None:
    start = models.Entry.objects.filter(record__log=log).count()
    for i in range(count):
        signed, body = signed_notice(MEMBERS[0], log=log, text=f"aviso {start + i}")
        do_append(log, signed_act=signed, body=body)


@pytest.fixture
def headers_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many entry headers the node reads from the database, counted."""
    count = [0]
    reading = replication.iter_entries_in_range

    def counted(log: str, *, first: int, last: int) -> Iterator[bytes]:
        for raw in reading(log, first=first, last=last):
            count[0] += 1
            yield raw

    monkeypatch.setattr(replication, "iter_entries_in_range", counted)
    return count


def all_hashes(log: str) -> list[str]:
    rows = models.Entry.objects.filter(record__log=log).order_by("seq").values_list("header", flat=True)
    return [sha256_hex(bytes(h)) for h in rows]


def get(client: Client, log: str, kind: str, **args: Any) -> Any:
    answer = client.get(f"/fed/{log}/proof/{kind}/", args)
    assert answer.status_code == 200, answer.content
    return json.loads(answer.content)


def test_every_proof_checks_out_against_the_records_tree(client: Client, log: str) -> None:
    # given the record's hashes, read whole
    hashes = all_hashes(log)
    for size in (1, 2, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 4 * BLOCK, 5 * BLOCK + 3, SIZE):
        root = root_of(hashes[:size])
        for seq in sorted({1, 2, BLOCK, BLOCK + 1, size // 2 + 1, size}):
            if seq > size:
                continue
            # when / then
            proof = get(client, log, "inclusion", seq=seq, size=size)
            assert proof["entry"] == hashes[seq - 1]
            check_inclusion(hashes[seq - 1], index=seq - 1, size=size, proof=proof["proof"], root=root)
        for old in sorted({0, 1, BLOCK, BLOCK + 3, size // 2, size}):
            if old > size:
                continue
            proof = get(client, log, "consistency", **{"from": old, "to": size})
            old_root = root_of(hashes[:old])
            check_consistency(old_root, old_size=old, new_root=root, new_size=size, proof=proof["proof"])


def test_a_proof_reads_a_block_or_two_not_the_whole_record(
    client: Client, log: str, headers_read: list[int]
) -> None:
    # given: one proof answered (the block roots are made once and kept)
    get(client, log, "inclusion", seq=3, size=SIZE)
    headers_read[0] = 0
    # when: other proofs are asked for
    get(client, log, "inclusion", seq=20, size=SIZE)
    inclusion = headers_read[0]
    headers_read[0] = 0
    get(client, log, "consistency", **{"from": 17, "to": SIZE})
    consistency = headers_read[0]
    # then: each read at most the block it is about and the incomplete block at the end
    assert inclusion <= 2 * BLOCK
    assert consistency <= 2 * BLOCK


def test_new_entries_extend_the_kept_roots_and_are_proved(
    client: Client, log: str, headers_read: list[int]
) -> None:
    # given: proofs answered for the record as it was
    get(client, log, "inclusion", seq=3, size=SIZE)
    # when: three blocks more are appended, and a proof of the grown record is asked for
    append_notices(log, 3 * BLOCK)
    headers_read[0] = 0
    size = SIZE + 3 * BLOCK
    proof = get(client, log, "inclusion", seq=size, size=size)
    # then: only the new entries were read (the kept roots were extended), and the proof checks out
    assert headers_read[0] <= 4 * BLOCK
    hashes = all_hashes(log)
    check_inclusion(hashes[-1], index=size - 1, size=size, proof=proof["proof"], root=root_of(hashes))


def test_a_size_beyond_the_record_is_a_bad_range(client: Client, log: str) -> None:
    # when
    answer = client.get(f"/fed/{log}/proof/inclusion/", {"seq": 1, "size": SIZE + 1})
    # then
    assert answer.status_code == 400
    assert json.loads(answer.content)["detail"]["reason"] == "bad_range"
