"""Format 2: the rules read only public rule data, so a replica that sees no members-only word replays
every rule, and catches a rogue sealer, a non-member author and an unknown act type."""

from typing import Any

from ayllu.core.ledger.record import RULE_VIS, make_body, sign_act, with_words
from ayllu.core.ledger.verify import ERASED, VerifyReport, verify_record
from factories.keys import keypair
from factories.records import MemoryRecord, found_record

PUBLIC = frozenset({"public"})


def members_only_record() -> MemoryRecord:
    """ana and bea found it; eva applies and is sponsored in members-only acts, then posts a notice."""
    record = found_record(split=True)
    record.apply("eva", vis="members")
    record.sponsor("ana", applicant="eva")
    record.sponsor("bea", applicant="eva")
    record.post("eva", text="phone of a neighbour", vis="members")
    return record


def anonymous(record: MemoryRecord, raws: list[bytes] | None = None, **kwargs: Any) -> VerifyReport:
    """Verify as a replica that holds only public bodies (it was never given members-only ones)."""
    held = lambda key: record.body(key) if key[1] == "public" else None  # noqa: E731
    return verify_record(record.log, record.raws() if raws is None else raws, bodies=held, visible=PUBLIC)


def test_an_anonymous_replica_replays_every_rule_of_a_members_only_record() -> None:
    # given
    record = members_only_record()
    # when
    report = anonymous(record)
    # then
    assert report.ok, report.problem
    assert report.replayed == report.size == 5


def test_the_words_stay_out_of_the_public_rule_data() -> None:
    # given
    record = members_only_record()
    notice = record.entries[-1]
    # when
    rule = record.body((notice.act.body, RULE_VIS))
    # then
    assert rule is not None and b"phone" not in rule.raw
    assert notice.act.v == 2 and notice.act.vis == "members"
    assert rule.words is not None and rule.words.vis == "members" and b"phone" in rule.words.raw


def test_an_anonymous_replica_rejects_a_rogue_sealer() -> None:
    # given: the last entry sealed by a key that is not the record's node
    record = members_only_record()
    rogue = MemoryRecord(
        record.log, keypair("rogue-node"), record.time, 0, list(record.entries), record.bodies, True
    )
    rogue.post("ana", text="sealed by a stranger", vis="members")
    # when
    report = anonymous(rogue)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "not_the_records_node")


def test_an_anonymous_replica_rejects_a_non_member_author() -> None:
    # given
    record = members_only_record()
    record.post("zoe", text="I am no member", vis="members")
    # when
    report = anonymous(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "not_a_member")


def test_an_anonymous_replica_rejects_an_unknown_act_type() -> None:
    # given
    record = members_only_record()
    words = make_body({"text": "abracadabra"}, vis="members")
    rule = make_body({"spell": 1, "words": {"hash": words.hash, "fields": ["text"]}}, vis=RULE_VIS)
    body = with_words(rule, words)
    record.bodies.update({rule.key: body, words.key: words})
    record.seal(sign_act(keypair("ana"), log=record.log, type="spell.cast", body=body, nonce="spell"))
    # when
    report = anonymous(record)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "unknown_entry_type")


def test_a_members_only_act_in_the_old_format_after_the_new_one_is_refused() -> None:
    # given: a format-1 members-only notice after format-2 acts
    record = members_only_record()
    body = make_body({"text": "old style"}, vis="members")
    record.seal(record_sign_v1(record, body))
    # when
    report = verify_record(record.log, record.raws(), bodies=record.body)
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (6, "malformed_entry")


def record_sign_v1(record: MemoryRecord, body: Any) -> Any:
    record.bodies[body.key] = body
    return sign_act(keypair("ana"), log=record.log, type="notice.posted", body=body, nonce="old-1")


def test_an_erased_words_body_leaves_every_rule_replayable() -> None:
    # given: eva erases the words of her notice
    record = members_only_record()
    notice = record.entries[-1]
    record.add("eva", type="words.erased", content={"entry": notice.seq})
    rule = record.body((notice.act.body, RULE_VIS))
    assert rule is not None and rule.words is not None
    words_key = rule.words.key
    # when
    report = verify_record(
        record.log, record.raws(), bodies=lambda k: ERASED if k == words_key else record.body(k)
    )
    # then
    assert report.ok, report.problem
    assert report.replayed == report.size == 6


def test_an_erased_rule_body_is_reported() -> None:
    # given
    record = members_only_record()
    notice = record.entries[-1]
    # when
    report = verify_record(
        record.log,
        record.raws(),
        bodies=lambda k: ERASED if k == (notice.act.body, RULE_VIS) else record.body(k),
    )
    # then
    assert report.problem is not None
    assert (report.problem.seq, report.problem.code) == (notice.seq, "unauthorised_erasure")
