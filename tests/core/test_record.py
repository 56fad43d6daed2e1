"""Entries: what the author and the node sign, the exact bytes kept, and what parsing refuses."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.errors import BadAuthorSignature, BadNodeSignature, MalformedBody, MalformedEntry
from ayllu.core.ledger.canonical import canonical_bytes, parse_canonical
from ayllu.core.ledger.keys import ACT_CONTEXT, ENTRY_CONTEXT, LOG_CONTEXT, verify_signature
from ayllu.core.ledger.record import (
    ACT_FIELDS,
    SignedAct,
    log_id_for,
    make_body,
    parse_entry,
    seal_entry,
    sha256_hex,
    sign_act,
)
from ayllu.core.ledger.verify import _without_nsig
from factories.keys import keypair
from factories.records import FIXED_TIME, sample_record

RECORD = sample_record(4)


def test_a_sealed_entry_parses_back_from_its_exact_bytes() -> None:
    # given
    entry = RECORD.entries[2]
    # when
    again = parse_entry(entry.raw)
    # then
    assert again == entry
    assert entry.hash == sha256_hex(entry.raw)
    again.check_signatures()


def test_the_author_signs_the_act_and_the_node_signs_the_header_without_nsig() -> None:
    # given
    entry = RECORD.entries[1]
    header = parse_canonical(entry.raw)
    # when
    act_bytes = canonical_bytes({name: header[name] for name in ACT_FIELDS})
    node_bytes = canonical_bytes({k: v for k, v in header.items() if k != "nsig"})
    # then
    assert verify_signature(header["author"], ACT_CONTEXT, act_bytes, header["asig"])
    assert verify_signature(header["node"], ENTRY_CONTEXT, node_bytes, header["nsig"])
    assert not verify_signature(header["node"], ACT_CONTEXT, node_bytes, header["nsig"])
    assert entry.act.id() == sha256_hex(ACT_CONTEXT + act_bytes)


@settings(max_examples=60, deadline=None)
@given(
    type=st.from_regex(r"[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8}){1,3}", fullmatch=True),
    nonce=st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
    seq=st.integers(1, 2**53 - 1),
    time=st.integers(0, 2**53 - 1),
)
def test_the_node_signed_bytes_cut_from_the_header_equal_the_canonical_form(
    type: str, nonce: str, seq: int, time: int
) -> None:
    # given
    body = make_body({"text": ',"nsig":"'}, vis="members")
    signed = sign_act(keypair("ana"), log=RECORD.log, type=type, body=body, nonce=nonce)
    prev = "" if seq == 1 else RECORD.head
    entry = seal_entry(signed, seq=seq, prev=prev, time=time, node=keypair("node-1"))
    # when / then
    assert _without_nsig(entry.raw, entry.nsig) == entry.node_signing_bytes()


@pytest.mark.parametrize("field", ["log", "type", "author", "vis", "body", "nonce"])
def test_changing_any_act_field_breaks_the_author_signature(field: str) -> None:
    # given: a node re-signs a header whose act field it changed
    entry = RECORD.entries[2]
    replacement = {
        "log": "00" * 32,
        "type": "notice.retracted",
        "author": keypair("mallory").public,
        "vis": "confidential",
        "body": "11" * 32,
        "nonce": "other",
    }[field]
    act = entry.act.__class__(**{**{f: getattr(entry.act, f) for f in ACT_FIELDS[1:]}, field: replacement})
    resealed = seal_entry(
        SignedAct(act, entry.asig), seq=3, prev=entry.prev, time=FIXED_TIME, node=RECORD.node
    )
    # when / then
    with pytest.raises(BadAuthorSignature):
        parse_entry(resealed.raw).check_signatures()


def test_changing_the_place_breaks_only_the_node_signature() -> None:
    # given
    header = parse_canonical(RECORD.entries[2].raw)
    header["time"] += 1
    # when
    entry = parse_entry(canonical_bytes(header))
    # then
    entry.signed_act().check()
    with pytest.raises(BadNodeSignature):
        entry.check_signatures()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda h: h.pop("nonce"), "fields"),
        (lambda h: h.update(extra=1), "fields"),
        (lambda h: h.update(v=3), "v"),
        (lambda h: h.update(seq=0), "seq"),
        (lambda h: h.update(seq="3"), "seq"),
        (lambda h: h.update(time=-1), "time"),
        (lambda h: h.update(prev="AB" * 32), "prev"),
        (lambda h: h.update(prev="ab" * 31), "prev"),
        (lambda h: h.update(node="00"), "node"),
        (lambda h: h.update(asig="0" * 127), "asig"),
        (lambda h: h.update(type="Notice.Posted"), "type"),
        (lambda h: h.update(type="notice"), "type"),
        (lambda h: h.update(vis="secret"), "vis"),
        (lambda h: h.update(nonce=""), "nonce"),
        (lambda h: h.update(nonce="a b"), "nonce"),
        (lambda h: h.update(body="ab"), "body"),
    ],
)
def test_a_malformed_header_is_refused_naming_the_field(change: object, field: str) -> None:
    # given
    header = parse_canonical(RECORD.entries[2].raw)
    change(header)  # type: ignore[operator]
    # when / then
    with pytest.raises(MalformedEntry) as caught:
        parse_entry(canonical_bytes(header))
    assert caught.value.detail["field"] == field


@pytest.mark.parametrize(("seq", "prev"), [(1, "ab" * 32), (3, "")])
def test_prev_is_parsed_for_its_form_and_left_to_the_chain_check(seq: int, prev: str) -> None:
    # given: an empty prev after the first entry, a hash at the first (broken_chain when verified)
    header = parse_canonical(RECORD.entries[seq - 1].raw)
    header["prev"] = prev
    # when
    entry = parse_entry(canonical_bytes(header))
    # then
    assert entry.prev == prev


def test_the_log_id_is_the_hash_of_the_founding_body_under_its_context() -> None:
    # given
    founding = RECORD.body((RECORD.entries[0].act.body, RECORD.entries[0].act.vis))
    assert founding is not None
    # when / then
    assert log_id_for(founding) == sha256_hex(LOG_CONTEXT + founding.raw) == RECORD.log


@pytest.mark.parametrize(("content", "vis"), [({"a": 1}, "secret"), ({"t": "x" * 300_000}, "public")])
def test_a_body_needs_a_known_visibility_and_a_bounded_size(content: dict[str, object], vis: str) -> None:
    # given / when / then
    with pytest.raises(MalformedBody):
        make_body(content, vis=vis)


def test_a_private_key_never_shows_in_a_repr() -> None:
    # given
    pair = keypair("ana")
    # when / then
    assert pair.seed().hex() not in repr(pair)
    assert pair.public in repr(pair)


@settings(max_examples=60, deadline=None)
@given(
    type=st.from_regex(r"[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8}){1,3}", fullmatch=True),
    nonce=st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
    vis=st.sampled_from(["public", "members", "confidential"]),
    seq=st.integers(min_value=1, max_value=2**53 - 1),
    time=st.integers(min_value=0, max_value=2**53 - 1),
)
def test_the_header_the_node_writes_out_is_the_canonical_encoding(
    type: str, nonce: str, vis: str, seq: int, time: int
) -> None:
    # given
    body = make_body({"text": "hola"}, vis=vis)
    signed = sign_act(keypair("ana"), log=RECORD.log, type=type, body=body, nonce=nonce)
    prev = "" if seq == 1 else RECORD.entries[0].hash
    # when
    entry = seal_entry(signed, seq=seq, prev=prev, time=time, node=keypair("node-1"))
    # then
    assert entry.raw == canonical_bytes(entry.header_json())
    assert signed.act.signing_bytes() == canonical_bytes(signed.act.as_json())
    assert parse_entry(entry.raw) == entry
    entry.check_signatures()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"asig": "0" * 127 + '"'}, "asig"),
        ({"seq": 0}, "seq"),
        ({"seq": True}, "seq"),
        ({"time": -1}, "time"),
        ({"time": 2**53}, "time"),
        ({"prev": ""}, "prev"),
        ({"seq": 1, "prev": "ab" * 32}, "prev"),
    ],
)
def test_the_node_refuses_to_seal_a_field_it_could_not_write_canonically(
    change: dict[str, object], field: str
) -> None:
    # given
    entry = RECORD.entries[2]
    signed = SignedAct(entry.act, str(change.pop("asig", entry.asig)))
    place: dict[str, object] = {"seq": 3, "prev": entry.prev, "time": FIXED_TIME, **change}
    # when
    with pytest.raises(MalformedEntry) as raised:
        seal_entry(signed, node=keypair("node-1"), **place)  # type: ignore[arg-type]
    # then
    assert raised.value.detail["field"] == field


def test_a_body_is_kept_by_its_hash_and_the_visibility_its_act_signed() -> None:
    # given
    public = make_body({"text": "asamblea"}, vis="public")
    members = make_body({"text": "asamblea"}, vis="members")
    # when / then
    assert public.hash == members.hash
    assert public.key != members.key and public != members
    assert public.content() is public.content()  # parsed once
