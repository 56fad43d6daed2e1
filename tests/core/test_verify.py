"""verify_record: a good record verifies; any tampering is caught and the first bad entry is named."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ayllu.core.ledger.canonical import canonical_bytes, parse_canonical
from ayllu.core.ledger.checked_texts import forget_checked_texts, known_header
from ayllu.core.ledger.checkpoints import sign_checkpoint, sign_receipt
from ayllu.core.ledger.keys import ACT_CONTEXT
from ayllu.core.ledger.merkle import EMPTY_ROOT, root_of
from ayllu.core.ledger.record import Body, SignedAct, make_body, seal_entry, sign_act
from ayllu.core.ledger.verify import ERASED, Rejected, VerifyReport, check_entry_batch, verify_record
from factories.federations import accredit, found_home, give_federation_cargo
from factories.keys import keypair
from factories.records import FIXED_TIME, MemoryRecord, found_record, sample_record

SIZE = 8
RECORD = sample_record(SIZE)
OTHER = sample_record(SIZE, name="Sindicato de inquilinos")


def verify(record: MemoryRecord, raws: list[bytes] | None = None, **kwargs: Any) -> VerifyReport:
    return verify_record(
        record.log,
        record.raws() if raws is None else raws,
        bodies=kwargs.pop("bodies", record.body),
        **kwargs,
    )


def rewritten(record: MemoryRecord, *, keep: list[int]) -> MemoryRecord:
    """The record as a dishonest node would rebuild it: same founding, only the acts at `keep` resealed."""
    again = found_record()
    again.bodies.update(record.bodies)
    for i in keep:
        again.seal(record.entries[i].signed_act())
    return again


def test_a_good_record_verifies() -> None:
    # given
    seen: list[int] = []
    # when
    report = verify(RECORD, batch_size=3, progress=seen.append)
    # then
    assert report.ok, report.problem
    assert (report.size, report.head, report.root) == (SIZE, RECORD.head, root_of(RECORD.hashes()))
    assert report.replayed == SIZE
    assert report.problem is None
    assert seen == [3, 6, 8]


def test_an_empty_record_verifies_as_empty() -> None:
    # given / when
    report = verify_record(RECORD.log, [], bodies=RECORD.body)
    # then
    assert report == VerifyReport(True, 0, "", EMPTY_ROOT, None, 0)


@pytest.mark.parametrize("workers", [1, 2])
def test_batches_may_run_in_other_workers(workers: int) -> None:
    # given
    with ThreadPoolExecutor(workers) as pool:
        # when
        report = verify(RECORD, map_batches=pool.map, batch_size=2)
    # then
    assert report == verify(RECORD)


def test_the_batch_checker_is_picklable_and_names_each_entry() -> None:
    # given
    import pickle

    raws = [RECORD.raws()[0], b"{}"]
    # when
    checker = pickle.loads(pickle.dumps(check_entry_batch))
    results = pickle.loads(pickle.dumps(checker(raws)))
    # then
    assert results[0].hash == RECORD.entries[0].hash
    assert results[1].code == "malformed_entry"


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_flipping_any_byte_of_any_entry_is_caught_at_that_entry(data: st.DataObject) -> None:
    # given
    raws = RECORD.raws()
    i = data.draw(st.integers(0, SIZE - 1), label="entry")
    at = data.draw(st.integers(0, len(raws[i]) - 1), label="byte")
    mask = data.draw(st.integers(1, 255), label="mask")
    broken = bytearray(raws[i])
    broken[at] ^= mask
    raws[i] = bytes(broken)
    # when
    report = verify(RECORD, raws, batch_size=3)
    # then
    assert not report.ok
    assert report.problem is not None and report.problem.seq == i + 1, report.problem
    assert report.size == i and report.head == (RECORD.entries[i - 1].hash if i else "")


@settings(max_examples=30, deadline=None)
@given(i=st.integers(0, SIZE - 2))
def test_dropping_an_entry_is_caught_where_it_was(i: int) -> None:
    # given
    raws = RECORD.raws()
    del raws[i]
    # when
    report = verify(RECORD, raws)
    # then
    assert report.problem is not None and report.problem.seq == i + 1
    assert report.problem.code == "seq_gap"


def test_dropping_the_last_entry_is_caught_by_its_receipt() -> None:
    # given
    receipt = sign_receipt(RECORD.node, log=RECORD.log, seq=SIZE, entry=RECORD.head, time=FIXED_TIME)
    # when
    report = verify(RECORD, RECORD.raws()[:-1], receipts=[receipt.raw])
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (SIZE, "receipt_not_honoured")
    assert report.problem.detail["reason"] == "missing"
    assert report.size == SIZE - 1


@settings(max_examples=30, deadline=None)
@given(i=st.integers(0, SIZE - 1))
def test_a_duplicated_entry_is_caught_at_the_copy(i: int) -> None:
    # given
    raws = RECORD.raws()
    raws.insert(i + 1, raws[i])
    # when
    report = verify(RECORD, raws)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (i + 2, "seq_gap")


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_reordered_entries_are_caught_at_the_first_moved_one(data: st.DataObject) -> None:
    # given
    raws = RECORD.raws()
    i = data.draw(st.integers(0, SIZE - 2))
    j = data.draw(st.integers(i + 1, SIZE - 1))
    raws[i], raws[j] = raws[j], raws[i]
    # when
    report = verify(RECORD, raws)
    # then
    assert report.problem is not None and report.problem.seq == i + 1


@settings(max_examples=30, deadline=None)
@given(i=st.integers(0, SIZE - 1))
def test_an_entry_spliced_from_another_record_is_caught(i: int) -> None:
    # given
    raws = RECORD.raws()
    raws[i] = OTHER.raws()[i]
    # when
    report = verify(RECORD, raws)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (i + 1, "wrong_log")


def test_a_forged_author_signature_is_caught_even_when_the_node_signed() -> None:
    # given: the node seals an act "by ana" that mallory signed
    record = sample_record(3)
    body = make_body({"text": "the treasurer resigns"}, vis="public")
    record.bodies[body.key] = body
    honest = record.sign("ana", type="notice.posted", content={"text": "the treasurer resigns"})
    forged = SignedAct(honest.act, keypair("mallory").sign(ACT_CONTEXT, honest.act.signing_bytes()))
    record.seal(forged)
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (4, "bad_author_signature")


def test_an_act_replayed_from_another_record_is_caught() -> None:
    # given: a node takes a signed act of OTHER and seals it into this record
    record = sample_record(3)
    record.bodies.update(OTHER.bodies)
    record.seal(OTHER.entries[3].signed_act())
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (4, "wrong_log")


def test_an_act_replayed_within_its_record_is_caught() -> None:
    # given
    record = sample_record(5)
    record.seal(record.entries[2].signed_act())
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "duplicate_act")
    assert report.problem.detail["first_seq"] == 3


def test_an_entry_by_a_key_that_is_not_a_member_is_rejected_on_replay() -> None:
    # given: validly signed by its author and sealed by the node, but the author was never admitted
    record = sample_record(4)
    record.post("mallory", text="I convene the assembly")
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (5, "not_a_member")


def test_an_entry_dated_after_the_checkers_clock_is_caught_before_its_rules() -> None:
    # given: a record whose last entry a sealer dated a day after the checker's clock
    record = sample_record(4)
    record.time += 86_400_000
    record.post("mallory", text="from the future, and by no member")
    now = record.entries[-2].time + 60_000
    # when checked with that clock, and without one
    report = verify(record, not_after=now)
    without = verify(record)
    # then the date is refused first (its rules are never replayed); without a clock, the rules refuse it
    assert report.problem is not None and report.size == 4
    assert (report.problem.seq, report.problem.code) == (5, "entry_from_the_future")
    assert without.problem is not None and without.problem.code == "not_a_member"


def test_an_entry_dated_within_the_checkers_clock_verifies() -> None:
    # given: the checker's clock is exactly the last entry's time
    record = sample_record(4)
    # when
    report = verify(record, not_after=record.entries[-1].time)
    # then
    assert report.ok, report.problem


def test_non_canonical_header_bytes_are_caught() -> None:
    # given: the same header, re-encoded with a space
    raws = RECORD.raws()
    raws[4] = raws[4].replace(b'"seq":', b'"seq": ')
    # when
    report = verify(RECORD, raws)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (5, "non_canonical")


def test_a_body_that_does_not_match_its_hash_is_caught() -> None:
    # given
    wrong = make_body({"text": "something else"}, vis="public")
    target = RECORD.entries[5].act.body
    # when
    report = verify(RECORD, bodies=lambda k: wrong if k[0] == target else RECORD.body(k))
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "wrong_body_hash")


def test_a_missing_public_body_is_caught() -> None:
    # given
    target = RECORD.entries[6].act.body
    # when
    report = verify(RECORD, bodies=lambda k: None if k[0] == target else RECORD.body(k))
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (7, "missing_body")


def test_a_confidential_body_is_never_required_and_an_erased_body_is_accepted_where_an_act_erased_it() -> (
    None
):
    # given: a notice whose author erased it by an act
    record = sample_record(4)
    secret = record.post("ana", text="mediation case 12", vis="confidential")
    erased = record.post("bea", text="phone of a neighbour")
    record.add("bea", type="words.erased", content={"entry": erased.seq})
    hidden = {secret.act.body: None, erased.act.body: ERASED}
    # when
    report = verify(record, bodies=lambda k: hidden[k[0]] if k[0] in hidden else record.body(k))
    # then
    assert report.ok, report.problem
    assert report.size == 7


def test_a_body_erased_without_an_erasure_act_is_reported() -> None:
    # given: a notice's body marked erased, and no act erasing it
    record = sample_record(4)
    erased = record.post("bea", text="phone of a neighbour")
    record.post("ana", text="later")
    # when
    report = verify(record, bodies=lambda k: ERASED if k[0] == erased.act.body else record.body(k))
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (erased.seq, "unauthorised_erasure")


def test_only_the_author_may_erase_their_words() -> None:
    # given
    record = sample_record(3)
    notice = record.post("bea", text="mine")
    record.add("ana", type="words.erased", content={"entry": notice.seq})
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (notice.seq + 1, "not_your_words")


def test_a_public_verifier_checks_chain_and_signatures_but_rules_only_as_far_as_it_can_see() -> None:
    # given: an application whose body only members may see, then its sponsorships
    record = sample_record(3)
    application = record.apply("eva", vis="members").act.body
    record.sponsor("ana", applicant="eva")
    record.sponsor("bea", applicant="eva")
    record.post("eva", text="hello")
    hide = lambda k: None if k[0] == application else record.body(k)  # noqa: E731
    # when
    public = verify(record, bodies=hide, visible=frozenset({"public"}))
    member = verify(record, bodies=hide)
    full = verify(record)
    # then
    assert public.ok and (public.size, public.replayed) == (7, 3)
    assert member.problem is not None and (member.problem.seq, member.problem.code) == (4, "missing_body")
    assert full.ok and full.replayed == 7


def test_a_rule_that_needs_a_body_is_not_skipped_when_the_body_is_there() -> None:
    # given: eva posts before she is admitted
    record = sample_record(3)
    record.apply("eva")
    record.sponsor("ana", applicant="eva")
    record.post("eva", text="too early")
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "not_a_member")


def test_checkpoints_and_receipts_of_the_record_are_honoured() -> None:
    # given
    hashes = RECORD.hashes()
    cps = [
        sign_checkpoint(RECORD.node, log=RECORD.log, size=s, root=root_of(hashes[:s]), time=FIXED_TIME).raw
        for s in (0, 1, 5, SIZE)
    ]
    receipts = [
        sign_receipt(RECORD.node, log=RECORD.log, seq=s, entry=hashes[s - 1], time=FIXED_TIME).raw
        for s in (1, 4, SIZE)
    ]
    # when
    report = verify(RECORD, checkpoints=cps, receipts=receipts, batch_size=3)
    # then
    assert report.ok, report.problem


def test_a_node_that_rewrote_history_is_exposed_by_an_old_checkpoint() -> None:
    # given: the node dropped entry 6 and resealed the rest; alone, the rewrite verifies
    forged = rewritten(RECORD, keep=[1, 2, 3, 4, 6, 7])
    cp = sign_checkpoint(
        RECORD.node, log=RECORD.log, size=6, root=root_of(RECORD.hashes()[:6]), time=FIXED_TIME
    )
    assert verify(forged).ok
    # when
    report = verify(forged, checkpoints=[cp.raw])
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "inconsistent_checkpoint")


def test_a_node_that_rewrote_history_is_exposed_by_a_receipt() -> None:
    # given
    forged = rewritten(RECORD, keep=[1, 2, 4, 5, 6, 7])
    receipt = sign_receipt(RECORD.node, log=RECORD.log, seq=4, entry=RECORD.hashes()[3], time=FIXED_TIME)
    # when
    report = verify(forged, receipts=[receipt.raw])
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (4, "receipt_not_honoured")
    assert report.problem.detail["reason"] == "fork"


def test_a_rolled_back_record_is_exposed_by_a_checkpoint_beyond_its_end() -> None:
    # given
    cp = sign_checkpoint(RECORD.node, log=RECORD.log, size=SIZE, root=root_of(RECORD.hashes()), time=1)
    # when
    report = verify(RECORD, RECORD.raws()[:5], checkpoints=[cp.raw])
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "inconsistent_checkpoint")
    assert report.problem.detail["reason"] == "record_shorter"


def test_two_checkpoints_of_one_size_with_different_roots_are_an_equivocation() -> None:
    # given
    roots = [root_of(RECORD.hashes()), root_of(OTHER.hashes())]
    cps = [sign_checkpoint(RECORD.node, log=RECORD.log, size=20, root=r, time=1).raw for r in roots]
    # when
    report = verify(RECORD, checkpoints=cps)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (None, "inconsistent_checkpoint")
    assert report.problem.detail["reason"] == "equivocation"


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        ({"checkpoints": [b"{}"]}, "malformed_checkpoint"),
        ({"receipts": [b"not json"]}, "not_json"),
        (
            {
                "checkpoints": [
                    sign_checkpoint(keypair("n"), log=OTHER.log, size=1, root=EMPTY_ROOT, time=1).raw
                ]
            },
            "wrong_log",
        ),
    ],
)
def test_bad_evidence_is_reported_without_blaming_an_entry(evidence: dict[str, Any], code: str) -> None:
    # given / when
    report = verify(RECORD, **evidence)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (None, code)


def test_a_forged_checkpoint_signature_is_reported() -> None:
    # given
    obj = parse_canonical(
        sign_checkpoint(RECORD.node, log=RECORD.log, size=2, root=root_of(RECORD.hashes()[:2]), time=1).raw
    )
    obj["time"] = 2
    # when
    report = verify(RECORD, checkpoints=[canonical_bytes(obj)])
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (None, "bad_checkpoint_signature")


def test_an_entry_sealed_on_the_wrong_prev_is_a_broken_chain() -> None:
    # given: the node signs entry 5 as if entry 4 did not exist
    record = sample_record(4)
    signed = record.sign("ana", type="notice.posted", content={"text": "fork"})
    record.entries.append(
        seal_entry(signed, seq=5, prev=record.entries[2].hash, time=FIXED_TIME, node=record.node)
    )
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (5, "broken_chain")


def test_a_seq_the_node_skipped_is_a_gap_even_when_signed() -> None:
    # given
    record = sample_record(4)
    signed = record.sign("ana", type="notice.posted", content={"text": "skip"})
    record.entries.append(seal_entry(signed, seq=6, prev=record.head, time=FIXED_TIME, node=record.node))
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (5, "seq_gap")
    assert report.problem.detail == {"expected": 5, "found": 6}


@pytest.mark.parametrize(("raw", "code"), [(b'{"text": "x"}', "non_canonical"), (b'["x"]', "malformed_body")])
def test_a_body_must_be_a_canonical_object_even_if_its_hash_matches(raw: bytes, code: str) -> None:
    # given: the author signed the hash of bytes that are not a canonical JSON object
    record = sample_record(2)
    body = Body(raw, "public")
    record.bodies[body.key] = body
    record.seal(sign_act(keypair("ana"), log=record.log, type="notice.posted", body=body, nonce="odd"))
    # when
    report = verify(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (3, code)


safe = st.integers(-(2**53) + 1, 2**53 - 1)
junk = st.none() | st.booleans() | safe | st.text(max_size=70) | st.lists(safe, max_size=3)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_header_shaped_junk_is_rejected_and_never_crashes_the_checker(data: st.DataObject) -> None:
    # given: a real header with some fields replaced by arbitrary JSON values
    header = parse_canonical(RECORD.raws()[3])
    for name in data.draw(st.sets(st.sampled_from(sorted(header)), min_size=1)):
        header[name] = data.draw(junk)
    raw = canonical_bytes(header)
    # when
    [result] = check_entry_batch([raw])
    # then
    assert raw == RECORD.raws()[3] or result.__class__.__name__ == "Rejected"


def test_a_cited_act_verified_once_is_kept_and_an_altered_copy_of_it_is_still_caught() -> None:
    # given a home record whose delegate issued a credential (an act other records cite), verified
    forget_checked_texts()
    home = found_home(["ana", "bea", "carla"])
    credential = accredit(home, give_federation_cargo(home, "ab" * 32), "ab" * 32)
    bodies = {b.key: b for b in home.bodies.values()}
    # when
    report = verify_record(home.log, [e.raw for e in home.entries], bodies=bodies.get)
    # then the credential's header is kept as checked, and no other entry is
    assert report.ok
    assert known_header(credential.raw) == credential
    assert all(known_header(e.raw) is None for e in home.entries if e.seq != credential.seq)
    # and a copy of it with one byte of its node's signature changed is caught all the same
    nsig = credential.nsig
    bad = credential.raw.replace(nsig.encode(), (("0" if nsig[0] != "0" else "1") + nsig[1:]).encode())
    (rejected,) = check_entry_batch([bad])
    assert isinstance(rejected, Rejected) and rejected.code == "bad_node_signature"
    assert check_entry_batch([credential.raw])[0].hash == credential.hash
