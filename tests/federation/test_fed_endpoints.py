"""The /fed/ endpoints through Django's test client: exact bytes, caching, visibility, proofs, evidence."""

import json
import time as _time

import pytest
from django.test import Client

from ayllu.actions.record import do_append, forget_replayed_state, node_keypair
from ayllu.core.ledger import evidence as ev
from ayllu.core.ledger.checkpoints import parse_checkpoint, sign_checkpoint
from ayllu.core.ledger.delegation import delegate_node, sign_request
from ayllu.core.ledger.merkle import check_consistency, check_inclusion, root_of
from ayllu.core.ledger.record import parse_entry, sign_act
from ayllu.core.ledger.witness import decide_cosign
from ayllu.storage import models
from factories.keys import keypair
from factories.records import MEMBERS, act_body, federation_record
from factories.stored import found


@pytest.fixture
def log(db: None) -> str:
    """A record of the founding and six notices: two public, two members-only, two confidential."""
    forget_replayed_state()
    log = found().log
    for i, vis in enumerate(["public", "members", "confidential"] * 2):
        notice = act_body("notice.posted", {"text": f"{vis} {i}"}, vis=vis)
        act = sign_act(MEMBERS[0], log=log, type="notice.posted", body=notice, nonce=f"e{i}")
        do_append(log, signed_act=act, body=notice)
    return log


def _stored_headers(log: str) -> list[bytes]:
    rows = models.Entry.objects.filter(record__log=log).order_by("seq").values_list("header", flat=True)
    return [bytes(h) for h in rows]


def test_entries_are_served_as_their_exact_bytes_in_both_formats(client: Client, log: str) -> None:
    # when entries 2..4 are asked for as JSON Lines and as a JSON array
    lines = client.get(f"/fed/{log}/entries/", {"from": 2, "to": 4})
    array = client.get(f"/fed/{log}/entries/", {"from": 2, "to": 4, "format": "json"})
    # then both are the stored bytes, unchanged
    expected = _stored_headers(log)[1:4]
    assert lines.content.split(b"\n")[:-1] == expected
    assert [s.encode() for s in json.loads(array.content)] == expected


def test_only_ranges_below_a_signed_checkpoint_are_cached_for_long(client: Client, log: str) -> None:
    # given no checkpoint yet: nothing is immutable
    assert client.get(f"/fed/{log}/entries/", {"from": 1, "to": 3})["Cache-Control"] == "no-cache"
    # when the node's latest checkpoint is fetched (signed now, as this node seals the record)
    checkpoint = parse_checkpoint(client.get(f"/fed/{log}/checkpoint/").content)
    assert checkpoint.size == 7 and checkpoint.node == node_keypair().public
    # then a range below it is immutable, and one reaching beyond it is not
    assert "immutable" in client.get(f"/fed/{log}/entries/", {"from": 1, "to": 7})["Cache-Control"]
    assert client.get(f"/fed/{log}/entries/", {"from": 5, "to": 9})["Cache-Control"] == "no-cache"
    assert "immutable" in client.get(f"/fed/{log}/checkpoint/7/")["Cache-Control"]


def test_only_public_bodies_are_served_to_peers(client: Client, log: str) -> None:
    # when a peer asks for every body
    response = client.get(f"/fed/{log}/bodies/", {"from": 1, "to": 7})
    served = [json.loads(line) for line in response.content.split(b"\n") if line]
    # then it gets the founding body, every notice's public rule data and the two public notices' words,
    # never members' or confidential words
    assert sorted(item["vis"] for item in served) == ["public"] * 9
    texts = [json.loads(item["body"]).get("text") for item in served]
    assert "members 1" not in texts and "confidential 2" not in texts


def test_proofs_verify_against_the_nodes_checkpoints(client: Client, log: str) -> None:
    # given the hashes of the stored entries
    hashes = [parse_entry(h).hash for h in _stored_headers(log)]
    # when the node proves consistency 3 -> 7 and the inclusion of entry 5 in 7
    consistency = json.loads(client.get(f"/fed/{log}/proof/consistency/", {"from": 3, "to": 7}).content)
    inclusion = json.loads(client.get(f"/fed/{log}/proof/inclusion/", {"seq": 5, "size": 7}).content)
    # then both proofs check out
    check_consistency(
        root_of(hashes[:3]), old_size=3, new_root=root_of(hashes), new_size=7, proof=consistency["proof"]
    )
    check_inclusion(hashes[4], index=4, size=7, proof=inclusion["proof"], root=root_of(hashes))


def test_posted_evidence_is_kept_only_when_it_verifies(client: Client, log: str) -> None:
    # given fork evidence about some node, and a forged copy of it
    record = federation_record(keypair(70))
    record.notice("uno")
    other = record.branch(1)
    other.notice("otro")
    raw = ev.fork_evidence(record.entries[1], other.entries[1])
    forged = raw.replace(b'"fork"', b'"equivocation"')
    # when both are posted
    refused = client.post("/fed/evidence/", forged, content_type="application/json")
    kept = client.post("/fed/evidence/", raw, content_type="application/json")
    again = client.post("/fed/evidence/", raw, content_type="application/json")
    # then only the valid one is kept (once), and it is listed
    assert (refused.status_code, kept.status_code, again.status_code) == (400, 201, 200)
    listed = json.loads(client.get("/fed/evidence/").content)["evidence"]
    assert [item["evidence"].encode() for item in listed] == [raw]


def test_a_cosignature_is_kept_only_for_the_checkpoint_it_covers(client: Client, log: str) -> None:
    # given this node's checkpoint and a witness's cosignature of it
    checkpoint = parse_checkpoint(client.get(f"/fed/{log}/checkpoint/").content)
    cosignature = decide_cosign(None, checkpoint, proof=[], witness=keypair(71), time=5)
    other = sign_checkpoint(node_keypair(), log=log, size=3, root=root_of([]), time=6)
    post = {"checkpoint": checkpoint.raw.decode(), "cosignature": cosignature.raw.decode()}
    wrong = {"checkpoint": other.raw.decode(), "cosignature": cosignature.raw.decode()}
    # when handed in
    refused = client.post(f"/fed/{log}/cosignatures/", json.dumps(wrong), content_type="application/json")
    kept = client.post(f"/fed/{log}/cosignatures/", json.dumps(post), content_type="application/json")
    # then only the matching pair is kept and served
    assert (refused.status_code, kept.status_code) == (400, 201)
    served = json.loads(client.get(f"/fed/{log}/cosignatures/").content)["cosignatures"]
    assert served == [post]


def _signed_get(client: Client, path: str, *, node, delegation: bytes, time: int | None = None):  # type: ignore[no-untyped-def]
    now = int(_time.time() * 1000) if time is None else time
    headers = {
        "Ayllu-Node": node.public,
        "Ayllu-Time": str(now),
        "Ayllu-Signature": sign_request(node, method="GET", path=path, time=now),
        "Ayllu-Delegation": delegation.decode(),
    }
    return client.get(path, headers=headers)


def _visibilities(response) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(json.loads(line)["vis"] for line in response.content.split(b"\n") if line)


def test_a_members_delegated_node_gets_members_bodies_never_confidential_ones(
    client: Client, log: str
) -> None:
    # given a node a current member delegated, for a year
    node = keypair(80)
    year = int(_time.time() * 1000) + 365 * 86_400_000
    delegation = delegate_node(MEMBERS[1], log=log, node=node.public, until=year).raw
    path = f"/fed/{log}/bodies/?from=1&to=7"
    # when it asks with a signed request
    response = _signed_get(client, path, node=node, delegation=delegation)
    # then it gets public and members-only bodies, never confidential ones, and no cache keeps them
    assert _visibilities(response) == ["members"] * 2 + ["public"] * 9
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("flaw", ["expired", "other_node_signs", "stranger_delegates", "stale", "other_path"])
def test_a_request_that_does_not_prove_a_members_node_is_refused(client: Client, log: str, flaw: str) -> None:
    # given a delegation with one flaw
    node, other = keypair(81), keypair(82)
    now = int(_time.time() * 1000)
    member = keypair(99) if flaw == "stranger_delegates" else MEMBERS[0]
    until = now - 1 if flaw == "expired" else now + 86_400_000
    delegation = delegate_node(member, log=log, node=node.public, until=until).raw
    path = f"/fed/{log}/bodies/?from=1&to=7"
    signer = other if flaw == "other_node_signs" else node
    time = now - 3_600_000 if flaw == "stale" else now
    signed_path = f"/fed/{log}/bodies/?from=1&to=2" if flaw == "other_path" else path
    headers = {
        "Ayllu-Node": node.public,
        "Ayllu-Time": str(time),
        "Ayllu-Signature": sign_request(signer, method="GET", path=signed_path, time=time),
        "Ayllu-Delegation": delegation.decode(),
    }
    # when it asks / then it is refused, and no body is served
    response = client.get(path, headers=headers)
    assert response.status_code == 403
    assert b'"body"' not in response.content


def test_evidence_is_listed_in_pages_and_one_piece_is_kept_per_kind_node_and_position(
    client: Client, log: str
) -> None:
    # given three forks by one node at three positions, and a second fork at the first position
    record = federation_record(keypair(72))
    for i in range(3):
        record.notice(f"uno {i}")
    pieces = []
    for seq, tag in ((2, "a"), (3, "b"), (4, "c"), (2, "d")):
        other = record.branch(seq - 1)
        other.notice(f"otro {tag}")
        pieces.append(ev.fork_evidence(record.entries[seq - 1], other.entries[seq - 1]))
    statuses = [
        client.post("/fed/evidence/", raw, content_type="application/json").status_code for raw in pieces
    ]
    # when they are listed two at a time
    first = json.loads(client.get("/fed/evidence/?limit=2").content)
    second = json.loads(client.get(f"/fed/evidence/?limit=2&after={first['next']}").content)
    # then the fourth, at a position already proven, was not kept, and the pages hold the other three
    assert statuses == [201, 201, 201, 200]
    assert [item["seq"] for item in first["evidence"]] == [2, 3]
    assert [item["seq"] for item in second["evidence"]] == [4] and second["next"] is None
    assert client.get("/fed/evidence/?after=x").status_code == 400
