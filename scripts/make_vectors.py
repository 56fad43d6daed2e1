"""Write docs/record-vectors.json: test vectors for docs/record-format.md, built from fixed seeds.

    .venv/bin/python scripts/make_vectors.py          # rewrite the file
    .venv/bin/python scripts/make_vectors.py --check  # exit 1 if the file differs from what the code gives

tests/core/test_vectors.py rebuilds the vectors with `build_vectors()` and compares them with the file,
so the document, the vectors and the code cannot drift apart. Everything is deterministic: keys come
from seeds, Ed25519 signatures are deterministic, and every time is a fixed integer.
"""

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from ayllu.core.assembly.acts import prose_fields, split_body
from ayllu.core.assembly.replay import ACT_KINDS
from ayllu.core.charter.founding import (
    build_founding_body,
    build_founding_content,
    endorse_founding,
    found_assembly,
)
from ayllu.core.charter.rules import DAY_MS, default_charter_data
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.checkpoints import parse_checkpoint, sign_checkpoint, sign_receipt
from ayllu.core.ledger.citations import (
    Citation,
    build_citation,
    check_citation,
    held_copy_of,
    parse_citation_bytes,
)
from ayllu.core.ledger.keys import (
    ACT_CONTEXT,
    CHECKPOINT_CONTEXT,
    ENDORSE_CONTEXT,
    ENTRY_CONTEXT,
    LOG_CONTEXT,
    RECEIPT_CONTEXT,
    Keypair,
)
from ayllu.core.ledger.merkle import consistency_proof, inclusion_proof, leaf_hash, root_of
from ayllu.core.ledger.record import (
    RULE_VIS,
    Body,
    BodyKey,
    Entry,
    SignedAct,
    log_id_for,
    make_body,
    seal_entry,
    sign_act,
    with_words,
)
from ayllu.core.ledger.succession import build_move_content, endorse_move
from ayllu.core.ledger.verify import ERASED, Erased, VerifyReport, verify_record

OUT = Path(__file__).resolve().parent.parent / "docs" / "record-vectors.json"
TIME = 1_764_000_000_000
NAMES = ("ana", "bea", "carla", "node-1", "node-2", "node-3", "mallory")


def seed(name: str) -> bytes:
    return hashlib.sha256(b"ayllu-test-key/" + name.encode()).digest()


# A fixed household id for the vectors (a client makes a fresh random one: core/charter/households.py).
FORMAT2_HOUSEHOLD = "h-" + "5e" * 16


def key(name: str) -> Keypair:
    return Keypair.from_seed(seed(name))


def text(raw: bytes) -> str:
    return raw.decode("utf-8")


def build_record() -> tuple[list[Entry], dict[str, Body]]:
    """Seven entries: founding by ana and bea, a notice, an application with two sponsors, notices."""
    node = key("node-1")
    founding_entry, founding = found_assembly(
        [(key("ana"), "casa-ana"), (key("bea"), "casa-bea")],
        name="Junta vecinal Villa Esperanza",
        founded_at=TIME,
        charter=default_charter_data(),
        node=node,
    )
    entries, bodies = [founding_entry], {founding.hash: founding}
    acts = [
        ("ana", "notice.posted", {"text": "Asamblea el domingo a las 10"}, "public"),
        ("carla", "member.applied", {"household": "casa-carla"}, "members"),
        ("ana", "member.sponsored", {"applicant": key("carla").public}, "public"),
        ("bea", "member.sponsored", {"applicant": key("carla").public}, "public"),
        ("carla", "notice.posted", {"text": "Gracias, vecinas \N{SMILING FACE WITH SMILING EYES}"}, "public"),
        ("bea", "notice.posted", {"text": "Minutes of the meeting of 2 March are in the archive"}, "members"),
    ]
    for i, (author, type_, content, vis) in enumerate(acts, start=2):
        body = make_body(content, vis=vis)
        bodies[body.hash] = body
        signed = sign_act(key(author), log=founding_entry.log, type=type_, body=body, nonce=f"n{i}")
        entries.append(seal_entry(signed, seq=i, prev=entries[-1].hash, time=TIME + i * 1000, node=node))
    return entries, bodies


def entry_vector(entry: Entry) -> dict[str, Any]:
    return {
        "raw": text(entry.raw),
        "hash": entry.hash,
        "act_signing_bytes": text(entry.act.signing_bytes()),
        "act_id": entry.act.id(),
        "node_signing_bytes": text(entry.node_signing_bytes()),
        "leaf_hash": leaf_hash(entry.hash),
    }


def canonical_vectors() -> list[dict[str, Any]]:
    inputs = {
        "keys_sorted_no_whitespace": '{"b": 2, "a": [true, null, "x"], "c": {"z": -1, "y": 0}}',
        "non_ascii_kept_as_utf8": '{"name": "Ñuñoa \\u00e1 \\u20ac"}',
        "escapes": '{"s": "tab\\t quote\\" backslash\\\\ nl\\n ctl\\u0001 slash/"}',
        "utf16_key_order": '{"\\ud83d\\ude00": 1, "\\uffff": 2, "a": 3}',
        "largest_integer": '{"n": 9007199254740991, "m": -9007199254740991}',
        "nested_32_deep": "[" * 32 + "]" * 32,
    }
    out = []
    for name, source in inputs.items():
        raw = canonical_bytes(json.loads(source))
        out.append({"name": name, "input": source, "canonical": text(raw), "canonical_hex": raw.hex()})
    return out


def rejected_vectors() -> list[dict[str, str]]:
    return [
        {"name": "float", "text": '{"n":1.5}', "code": "forbidden_value"},
        {"name": "integer_out_of_range", "text": '{"n":9007199254740992}', "code": "forbidden_value"},
        {"name": "exponent", "text": '{"n":1e3}', "code": "forbidden_value"},
        {"name": "duplicate_key", "text": '{"a":1,"a":1}', "code": "forbidden_value"},
        {"name": "whitespace", "text": '{"a": 1}', "code": "non_canonical"},
        {"name": "unsorted_keys", "text": '{"b":1,"a":2}', "code": "non_canonical"},
        {"name": "needless_escape", "text": '{"a":"\\u0041"}', "code": "non_canonical"},
        {"name": "not_utf8", "text_hex": "7b2261223a22ff227d", "code": "not_json"},
        {"name": "lone_surrogate_escaped", "text": '{"a":"\\ud800"}', "code": "forbidden_value"},
        {"name": "lone_surrogate_as_utf8", "text_hex": "7b2261223a22eda080227d", "code": "not_json"},
        {"name": "nan", "text": '{"n":NaN}', "code": "not_json"},
        {"name": "infinity", "text": '{"n":-Infinity}', "code": "not_json"},
        {"name": "leading_zero", "text": '{"n":01}', "code": "not_json"},
        {"name": "byte_order_mark", "text_hex": "efbbbf7b7d", "code": "not_json"},
        {"name": "nested_33_deep", "text": "[" * 33 + "]" * 33, "code": "not_json"},
        {"name": "minus_zero", "text": '{"n":-0}', "code": "non_canonical"},
        {"name": "escaped_slash", "text": '{"a":"\\/"}', "code": "non_canonical"},
        {"name": "uppercase_escape", "text": '{"a":"\\u001F"}', "code": "non_canonical"},
        # Which code wins when several apply: not_json, then forbidden_value, then non_canonical.
        {"name": "float_then_not_json", "text": '{"n":1.5,}', "code": "not_json"},
        {"name": "float_then_too_deep", "text": "[1.5," + "[" * 33 + "]" * 33 + "]", "code": "not_json"},
        {"name": "duplicate_key_then_trailing_text", "text": '{"a":1,"a":2} x', "code": "not_json"},
        {"name": "whitespace_and_float", "text": '{"n": 1.5}', "code": "forbidden_value"},
        {"name": "unsorted_and_duplicate", "text": '{"b":1,"a":2,"a":3}', "code": "forbidden_value"},
    ]


def merkle_vectors(hashes: list[str]) -> dict[str, Any]:
    n = len(hashes)
    return {
        "entry_hashes": hashes,
        "leaf_hashes": [leaf_hash(h) for h in hashes],
        "roots": [root_of(hashes[:size]) for size in range(n + 1)],
        "inclusion": [
            {"index": i, "size": size, "proof": inclusion_proof(hashes[:size], index=i)}
            for size in range(1, n + 1)
            for i in range(size)
        ],
        "consistency": [
            {"old_size": m, "new_size": size, "proof": consistency_proof(hashes[:size], old_size=m)}
            for size in range(1, n + 1)
            for m in range(1, size + 1)
        ],
    }


def reseal(header: dict[str, Any], node: Keypair, **change: Any) -> str:
    """A header changed by `change` and signed again by `node`: only what `change` says is wrong."""
    fields = {k: v for k, v in {**header, **change, "node": node.public}.items() if k != "nsig"}
    nsig = node.sign(ENTRY_CONTEXT, canonical_bytes(fields))
    return text(canonical_bytes({**fields, "nsig": nsig}))


def header_of(entry: Entry) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(entry.raw)
    return loaded


def body_vector(body: Body) -> dict[str, str]:
    """A case's own body: its exact text (not always canonical: some cases test that), hash, visibility."""
    return {"hash": body.hash, "vis": body.vis, "text": text(body.raw)}


def act_entry(
    author: str, *, log: str, type: str, body: Body, nonce: str, seq: int, prev: str, node: str = "node-1"
) -> Entry:
    signed = sign_act(key(author), log=log, type=type, body=body, nonce=nonce)
    return seal_entry(signed, seq=seq, prev=prev, time=TIME + seq * 1000, node=key(node))


def move_body(log: str, *, after: str, node: str, endorsers: tuple[str, ...], vis: str = "public") -> Body:
    endorsements = [
        endorse_move(key(name), log=log, node=key(node).public, after=after) for name in endorsers
    ]
    return make_body(
        build_move_content(node=key(node).public, after=after, endorsements=endorsements), vis=vis
    )


def node_cases(entries: list[Entry]) -> list[dict[str, Any]]:
    """The record's node (the first entry's) seals every entry until a `record.moved` names another."""
    log, head = entries[0].log, entries[6].hash
    notice = make_body({"text": "Reunión de la directiva"}, vis="public")
    rogue = act_entry(
        "ana", log=log, type="notice.posted", body=notice, nonce="r8", seq=8, prev=head, node="node-2"
    )
    cases: list[dict[str, Any]] = [
        {
            "name": "sealed_by_another_node",
            "entries": [1, 2, 3, 4, 5, 6, 7, text(rogue.raw)],
            "bodies": [notice],
        }
    ]
    moves = {
        "moved_by_the_old_node": ("node-1", ("ana", "bea"), "public", head),
        "moved_by_the_new_node": ("node-2", ("ana", "carla"), "public", head),
        "moved_by_a_third_node": ("node-3", ("ana", "bea"), "public", head),
        "move_endorsed_by_too_few": ("node-1", ("ana",), "public", head),
        "move_endorsed_by_an_outsider": ("node-1", ("ana", "mallory"), "public", head),
        "move_kept_to_members": ("node-1", ("ana", "bea"), "members", head),
        "move_from_another_place": ("node-1", ("ana", "bea"), "public", entries[5].hash),
    }
    for name, (sealer, endorsers, vis, after) in moves.items():
        body = move_body(log, after=after, node="node-2", endorsers=endorsers, vis=vis)
        move = act_entry(
            "bea", log=log, type="record.moved", body=body, nonce="m8", seq=8, prev=head, node=sealer
        )
        later = make_body({"text": "Sesión en el nuevo nodo"}, vis="public")
        after_move = act_entry(
            "ana", log=log, type="notice.posted", body=later, nonce="a9", seq=9, prev=move.hash, node="node-2"
        )
        cases.append(
            {"name": name, "entries": [1, 2, 3, 4, 5, 6, 7, text(move.raw), text(after_move.raw)],
             "bodies": [body, later]}
        )  # fmt: skip
    good = move_body(log, after=head, node="node-2", endorsers=("ana", "bea"))
    move = act_entry("bea", log=log, type="record.moved", body=good, nonce="m8", seq=8, prev=head)
    stale = make_body({"text": "Sigo sellando"}, vis="public")
    old_node = act_entry("ana", log=log, type="notice.posted", body=stale, nonce="o9", seq=9, prev=move.hash)
    cases.append(
        {"name": "sealed_by_the_old_node_after_the_move",
         "entries": [1, 2, 3, 4, 5, 6, 7, text(move.raw), text(old_node.raw)], "bodies": [good, stale]}
    )  # fmt: skip
    return cases


def founding_case(
    name: str,
    *,
    endorsers: tuple[str, ...] = ("ana", "bea"),
    author: str = "ana",
    forged: str = "",
    log: str = "",
) -> dict[str, Any]:
    """A one-entry record whose founding body (and so whose id) is its own."""
    content = build_founding_content(
        "Junta vecinal Villa Esperanza",
        founded_at=TIME,
        charter=default_charter_data(),
        founders=[(key("ana").public, "casa-ana"), (key("bea").public, "casa-bea")],
    )
    endorsements = [endorse_founding(key(who), content) for who in endorsers]
    if forged:  # a founder's signature, but over other content
        endorsements.append(endorse_founding(key(forged), {**content, "name": "Otra junta"}))
    body = build_founding_body(content, endorsements)
    record_log = log or log_id_for(body)
    signed = sign_act(key(author), log=record_log, type="assembly.founded", body=body, nonce="founding")
    entry = seal_entry(signed, seq=1, prev="", time=TIME, node=key("node-1"))
    return {"name": name, "log": record_log, "entries": [text(entry.raw)], "bodies": [body]}


def founding_cases(entries: list[Entry]) -> list[dict[str, Any]]:
    log = entries[0].log
    first_notice = make_body({"text": "Sin acta de fundación"}, vis="public")
    unfounded = act_entry("ana", log=log, type="notice.posted", body=first_notice, nonce="u1", seq=1, prev="")
    return [
        founding_case("founded_by_both_founders"),
        founding_case("founding_missing_an_endorsement", endorsers=("ana",)),
        founding_case("founding_endorsed_by_an_outsider", endorsers=("ana", "bea", "mallory")),
        founding_case("founding_with_a_bad_endorsement", endorsers=("ana",), forged="bea"),
        founding_case("founding_signed_by_an_outsider", author="mallory"),
        founding_case("founding_under_a_chosen_id", log=hashlib.sha256(b"a chosen id").hexdigest()),
        {"name": "first_entry_not_a_founding", "entries": [text(unfounded.raw)], "bodies": [first_notice]},
    ]


def code_cases(entries: list[Entry]) -> list[dict[str, Any]]:
    """One case per code of section 11 not met elsewhere, and which code wins when several apply."""
    log, node, head = entries[0].log, key("node-1"), entries[6].hash
    second, first = header_of(entries[1]), header_of(entries[0])
    nan = text(entries[1].raw).replace(f'"time":{second["time"]}', '"time":NaN')
    fraction = text(entries[1].raw).replace(f'"time":{second["time"]}', f'"time":{second["time"]}.5')
    spaced = text(entries[1].raw).replace('","', '", "', 1)
    both_bad = (
        text(entries[1].raw).replace(second["asig"][:8], "00000000").replace(second["nsig"][:8], "00000000")
    )

    def deep(depth: int) -> str:
        return "[" * depth + "]" * depth

    def deep_header(depth: int) -> str:
        # The header is one level itself: "z" holds depth - 1 more.
        return text(entries[1].raw)[:-1] + f',"z":{deep(depth - 1)}}}'

    shouted = make_body({"text": "¡ASAMBLEA!"}, vis="public")
    unknown = act_entry("ana", log=log, type="notice.shouted", body=shouted, nonce="s8", seq=8, prev=head)
    earlier = sign_act(key("ana"), log=log, type="notice.posted", body=shouted, nonce="t8")
    back = seal_entry(earlier, seq=8, prev=head, time=TIME, node=node)
    loose = Body(b'{"text": "con espacios"}', "public")
    loose_act = sign_act(key("ana"), log=log, type="notice.posted", body=loose, nonce="l8")
    loose_entry = seal_entry(loose_act, seq=8, prev=head, time=TIME + 8000, node=node)
    too_deep = Body(('{"text":"x","z":' + deep(33) + "}").encode(), "public")
    deep_act = sign_act(key("ana"), log=log, type="notice.posted", body=too_deep, nonce="d8")
    deep_entry = seal_entry(deep_act, seq=8, prev=head, time=TIME + 8000, node=node)
    other_log = sign_act(key("ana"), log="ab" * 32, type="notice.posted", body=shouted, nonce="w8")
    wrong_log = seal_entry(other_log, seq=8, prev=head, time=TIME + 8000, node=node)
    # Signatures RFC 8032 alone accepts and libsodium refuses (section 1): a key of small order (the
    # neutral point) whose "signature" is R = that point and S = 0, and a valid S pushed up by L.
    neutral = "01" + "00" * 31
    order = 2**252 + 27742317777372353535851937790883648493
    asig = bytes.fromhex(second["asig"])
    high_s = asig[:32] + (int.from_bytes(asig[32:], "little") + order).to_bytes(32, "little")
    return [
        {
            "name": "author_key_of_small_order",
            "entries": [1, reseal(second, node, author=neutral, asig=neutral + "00" * 32)],
        },
        {"name": "author_signature_s_above_order", "entries": [1, reseal(second, node, asig=high_s.hex())]},
        {"name": "prev_empty_after_the_first", "entries": [1, reseal(second, node, prev="")]},
        {"name": "prev_set_on_the_first", "entries": [reseal(first, node, prev=entries[1].hash)]},
        {"name": "header_with_nan", "entries": [1, nan]},
        {"name": "header_with_a_fraction", "entries": [1, fraction]},
        {"name": "header_with_whitespace", "entries": [1, spaced]},
        {"name": "header_nested_32_deep", "entries": [1, deep_header(32)]},
        {"name": "header_nested_33_deep", "entries": [1, deep_header(33)]},
        {"name": "both_signatures_bad", "entries": [1, both_bad]},
        {"name": "wrong_seq_and_wrong_prev", "entries": [1, reseal(second, node, seq=3, prev="")]},
        {
            "name": "entry_of_another_record",
            "entries": [1, 2, 3, 4, 5, 6, 7, text(wrong_log.raw)],
            "bodies": [shouted],
        },
        {
            "name": "unknown_entry_type",
            "entries": [1, 2, 3, 4, 5, 6, 7, text(unknown.raw)],
            "bodies": [shouted],
        },
        {"name": "time_went_back", "entries": [1, 2, 3, 4, 5, 6, 7, text(back.raw)], "bodies": [shouted]},
        {
            "name": "body_not_canonical",
            "entries": [1, 2, 3, 4, 5, 6, 7, text(loose_entry.raw)],
            "bodies": [loose],
        },
        {
            "name": "body_nested_33_deep",
            "entries": [1, 2, 3, 4, 5, 6, 7, text(deep_entry.raw)],
            "bodies": [too_deep],
        },
        {
            # A notice's body erased with no words.erased act naming it: the rules replay to the end (no
            # rule reads a notice's body), and then find the erasure unauthorised (section 13).
            "name": "body_erased_without_an_act",
            "entries": [1, 2, 3, 4, 5, 6, 7],
            "erased": [entries[6].act.body],
        },
        {"name": "body_erased_rules_stop", "entries": [1, 2, 3, 4, 5, 6, 7], "erased": [entries[2].act.body]},
        {"name": "public_verifier", "entries": [1, 2, 3, 4, 5, 6, 7], "visible": ["public"]},
    ]


def evidence_cases(entries: list[Entry]) -> list[dict[str, Any]]:
    """Checkpoints and receipts presented as evidence (section 10 and step 2.9 and 3 of section 11)."""
    log, node = entries[0].log, key("node-1")
    hashes = [e.hash for e in entries]

    def checkpoint(size: int, root: str) -> str:
        return text(sign_checkpoint(node, log=log, size=size, root=root, time=TIME + 9000).raw)

    def receipt(seq: int, entry: str) -> str:
        return text(sign_receipt(node, log=log, seq=seq, entry=entry, time=TIME + 9001).raw)

    all_seven = [1, 2, 3, 4, 5, 6, 7]
    return [
        {
            "name": "checkpoints_honoured",
            "entries": all_seven,
            "checkpoints": [
                checkpoint(0, root_of([])),
                checkpoint(4, root_of(hashes[:4])),
                checkpoint(7, root_of(hashes)),
            ],
            "receipts": [receipt(3, hashes[2])],
        },
        {
            "name": "checkpoint_of_another_root",
            "entries": all_seven,
            "checkpoints": [checkpoint(5, root_of(hashes[:4]))],
        },
        {
            "name": "checkpoint_beyond_the_record",
            "entries": all_seven[:5],
            "checkpoints": [checkpoint(7, root_of(hashes))],
            "receipts": [receipt(6, hashes[5])],
        },
        {
            "name": "checkpoints_that_equivocate",
            "entries": all_seven[:5],
            "checkpoints": [checkpoint(7, root_of(hashes)), checkpoint(7, root_of(hashes[:4]))],
        },
        {"name": "receipt_of_another_entry", "entries": all_seven, "receipts": [receipt(4, hashes[2])]},
        {
            "name": "checkpoint_without_its_root",
            "entries": all_seven,
            "checkpoints": [checkpoint(7, root_of(hashes)).replace('"root":', '"rot":', 1)],
        },
        {
            "name": "receipt_badly_signed",
            "entries": all_seven,
            "receipts": [receipt(3, hashes[2]).replace('"time":', '"time":1', 1)],
        },
        {
            "name": "receipt_at_seq_0",
            "entries": all_seven,
            "receipts": [text(canonical_bytes({**json.loads(receipt(3, hashes[2])), "seq": 0}))],
        },
        {
            "name": "checkpoint_badly_signed",
            "entries": all_seven,
            "checkpoints": [checkpoint(7, root_of(hashes)).replace('"time":', '"time":1', 1)],
        },
    ]


def verify_cases(entries: list[Entry], bodies: dict[str, Body]) -> list[dict[str, Any]]:
    """Records to verify, as lists of good seqs (ints) or raw headers, with the outcome expected.

    Every body a case needs is in the file: the record's bodies, and each case's own `bodies`.
    """
    log, node = entries[0].log, key("node-1")
    flipped = bytearray(entries[2].raw)
    flipped[flipped.index(b'"time":') + 8] ^= 0x01  # one digit of the time: only the node signature breaks
    forged_act = entries[5].act
    forged = SignedAct(forged_act, key("mallory").sign(ACT_CONTEXT, forged_act.signing_bytes()))
    forged_entry = seal_entry(forged, seq=6, prev=entries[4].hash, time=TIME + 6000, node=node)
    spoken = make_body({"text": "I convene the assembly"}, vis="public")
    outsider = sign_act(key("mallory"), log=log, type="notice.posted", body=spoken, nonce="m1")
    outsider_entry = seal_entry(outsider, seq=8, prev=entries[6].hash, time=TIME + 8000, node=node)
    replayed = seal_entry(entries[1].signed_act(), seq=8, prev=entries[6].hash, time=TIME + 8000, node=node)
    receipt = sign_receipt(node, log=log, seq=7, entry=entries[6].hash, time=TIME + 7001)
    cases: list[dict[str, Any]] = [
        {"name": "good", "entries": [1, 2, 3, 4, 5, 6, 7]},
        {"name": "dropped", "entries": [1, 2, 4, 5, 6, 7]},
        {"name": "duplicated", "entries": [1, 2, 3, 3, 4, 5, 6, 7]},
        {"name": "swapped", "entries": [1, 2, 3, 5, 4, 6, 7]},
        {"name": "byte_flipped", "entries": [1, 2, text(bytes(flipped)), 4, 5, 6, 7]},
        {"name": "forged_author_signature", "entries": [1, 2, 3, 4, 5, text(forged_entry.raw), 7]},
        {
            "name": "not_a_member",
            "entries": [1, 2, 3, 4, 5, 6, 7, text(outsider_entry.raw)],
            "bodies": [spoken],
        },
        {"name": "act_replayed", "entries": [1, 2, 3, 4, 5, 6, 7, text(replayed.raw)]},
        {"name": "body_withheld", "entries": [1, 2, 3, 4, 5, 6, 7], "withheld": [entries[6].act.body]},
        {"name": "rolled_back", "entries": [1, 2, 3, 4, 5, 6], "receipts": [text(receipt.raw)]},
        {
            # The verifier holds entry 7's bytes only as a public body: not the members-only body the
            # act names, since bodies are addressed by (hash, visibility).
            "name": "body_under_other_visibility",
            "entries": [1, 2, 3, 4, 5, 6, 7],
            "held_as": [{"hash": entries[6].act.body, "vis": "public"}],
        },
        *code_cases(entries),
        *node_cases(entries),
        *founding_cases(entries),
        *evidence_cases(entries),
    ]
    record_bodies = [{"vis": b.vis, "text": text(b.raw)} for b in bodies.values()]
    for case in cases:
        case.setdefault("log", log)
        case["bodies"] = [b if isinstance(b, dict) else body_vector(b) for b in case.get("bodies", ())]
        raws = [e.raw for e in entries]
        case["expect"] = outcome(run_case(case, entries=raws, record_bodies=record_bodies))
        case["expect_without_rules"] = outcome(
            run_case(case, entries=raws, record_bodies=record_bodies, rules=False)
        )
    return cases


def outcome(report: VerifyReport) -> dict[str, Any]:
    problem = report.problem
    return {
        "ok": report.ok,
        "size": report.size,
        "head": report.head,
        "root": report.root,
        "replayed": report.replayed,
        "problem": None if problem is None else {"seq": problem.seq, "code": problem.code},
    }


def run_case(
    case: dict[str, Any], *, entries: list[bytes], record_bodies: list[dict[str, str]], rules: bool = True
) -> VerifyReport:
    """Verify one case from what the file holds: `record.entries`, `record.bodies` and the case's own.

    A verifier holds only bodies of the visibilities it may see (`visible`, by default public and members).
    """
    visible = frozenset(case.get("visible", ("public", "members")))
    raws = [entries[e - 1] if isinstance(e, int) else e.encode() for e in case["entries"]]
    held: dict[BodyKey, Body | Erased] = {}
    for item in [*record_bodies, *case["bodies"]]:
        if item["vis"] in visible:
            body = Body(item["text"].encode(), item["vis"])
            held[body.key] = body
    for moved in case.get("held_as", ()):
        for body_key in [k for k in held if k[0] == moved["hash"]]:
            found = held.pop(body_key)
            held[(moved["hash"], moved["vis"])] = (
                Body(found.raw, moved["vis"]) if isinstance(found, Body) else found
            )
    for gone in case.get("withheld", ()):
        for body_key in [k for k in held if k[0] == gone]:
            del held[body_key]
    for gone in case.get("erased", ()):
        for body_key in [k for k in held if k[0] == gone]:
            held[body_key] = ERASED
    return verify_record(
        case["log"],
        raws,
        bodies=held.get,
        checkpoints=[c.encode() for c in case.get("checkpoints", ())],
        receipts=[r.encode() for r in case.get("receipts", ())],
        visible=visible,
        rules=rules,
    )


def build_vectors() -> dict[str, Any]:
    """Every vector, from the seeds up."""
    entries, bodies = build_record()
    log = entries[0].log
    founding = bodies[entries[0].act.body]
    node = key("node-1")
    checkpoint = sign_checkpoint(
        node, log=log, size=7, root=root_of([e.hash for e in entries]), time=TIME + 9000
    )
    receipt = sign_receipt(node, log=log, seq=7, entry=entries[6].hash, time=TIME + 7001)
    return {
        "about": "Test vectors for docs/record-format.md; regenerate with scripts/make_vectors.py",
        "contexts": {
            name: {"ascii": ctx.decode("ascii"), "hex": ctx.hex()}
            for name, ctx in (
                ("act", ACT_CONTEXT),
                ("entry", ENTRY_CONTEXT),
                ("checkpoint", CHECKPOINT_CONTEXT),
                ("receipt", RECEIPT_CONTEXT),
                ("endorse", ENDORSE_CONTEXT),
                ("log", LOG_CONTEXT),
            )
        },
        "keys": [{"name": n, "seed": seed(n).hex(), "public": key(n).public} for n in NAMES],
        "canonical": canonical_vectors(),
        "rejected": rejected_vectors(),
        "record": {
            "log": log,
            "log_derivation": "sha256(contexts.log || bodies[0].canonical)",
            "bodies": [{"hash": b.hash, "vis": b.vis, "canonical": text(b.raw)} for b in bodies.values()],
            "founding_body": founding.hash,
            "entries": [entry_vector(e) for e in entries],
        },
        "merkle": merkle_vectors([e.hash for e in entries]),
        "checkpoint": {"raw": text(checkpoint.raw), "signed_bytes": text(unsigned(checkpoint.raw))},
        "receipt": {"raw": text(receipt.raw), "signed_bytes": text(unsigned(receipt.raw))},
        "verify_cases": verify_cases(entries, bodies),
        "format2": format2_vectors(),
        "citations": citation_vectors(entries),
        "federation_bodies": federation_body_vectors(entries),
    }


def format2_vectors() -> dict[str, Any]:
    """Act format 2 (record-format.md section 13): a record whose membership acts are members-only, which
    a verifier holding public bodies only replays to the end, and the cases that must fail."""
    node = key("node-1")
    founding_entry, founding = found_assembly(
        [(key("ana"), "casa-ana"), (key("bea"), "casa-bea")],
        name="Junta vecinal Villa Esperanza",
        founded_at=TIME,
        charter=default_charter_data(),
        node=node,
    )
    log = founding_entry.log
    entries, bodies = [founding_entry], {founding.key: founding}

    def seal(signed: SignedAct, seq: int, prev: str) -> Entry:
        return seal_entry(signed, seq=seq, prev=prev, time=TIME + seq * 1000, node=node)

    def split(type_: str, content: dict[str, Any], vis: str) -> Body:
        body = split_body(ACT_KINDS[type_], content, vis=vis)
        assert body.words is not None
        bodies[body.key], bodies[body.words.key] = body, body.words
        return body

    acts = [
        # format 2: a new household is named by an opaque id (rule data) and its name is words
        (
            "carla",
            "member.applied",
            {"household": FORMAT2_HOUSEHOLD, "household_name": "casa-carla"},
            "members",
        ),
        ("ana", "member.sponsored", {"applicant": key("carla").public}, "members"),
        ("bea", "member.sponsored", {"applicant": key("carla").public}, "members"),
        ("carla", "notice.posted", {"text": "Mi teléfono es 555-0199"}, "members"),
        ("carla", "words.erased", {"entry": 5}, "public"),
    ]
    for i, (author, type_, content, vis) in enumerate(acts, start=2):
        body = split(type_, content, vis)
        signed = sign_act(key(author), log=log, type=type_, body=body, nonce=f"f{i}")
        entries.append(seal(signed, i, entries[-1].hash))
    notice_words = entries[4].act
    words_key = (bodies[(notice_words.body, RULE_VIS)].content()["words"]["hash"], "members")
    # Entries 7-13: the assembly erases ana's words of entry 7 by a decision (matter erasure), tabled,
    # discussed for the default charter's three days, voted by every member and closed.
    later = TIME + 4 * DAY_MS
    decision = [
        ("ana", "notice.posted", {"text": "Rosa vive en la calle 3"}, "members", TIME + 7000),
        (
            "bea",
            "proposal.tabled",
            {"matter": "erasure", "title": "Borrar la dirección", "text": "", "effect": {"entry": 7}},
            "members",
            TIME + 8000,
        ),
        ("bea", "question.opened", {"proposal": 8, "deadline": later + 3 * DAY_MS}, "public", later),
        ("ana", "vote.cast", {"question": 9, "choice": "yes"}, "members", later + 1000),
        ("bea", "vote.cast", {"question": 9, "choice": "yes"}, "members", later + 2000),
        ("carla", "vote.cast", {"question": 9, "choice": "yes"}, "members", later + 3000),
        ("bea", "question.closed", {"question": 9}, "public", later + 4000),
    ]
    for i, (author, type_, content, vis, at) in enumerate(decision, start=7):
        body = split(type_, content, vis)
        signed = sign_act(key(author), log=log, type=type_, body=body, nonce=f"f{i}")
        entries.append(seal_entry(signed, seq=i, prev=entries[-1].hash, time=at, node=node))
    decided_words = entries[6].act
    decided_key = (bodies[(decided_words.body, RULE_VIS)].content()["words"]["hash"], "members")
    # Failing entries, each in place of entry 6 or after entry 5.
    stranger = split("notice.posted", {"text": "I am no member"}, "members")
    stranger_entry = seal(
        sign_act(key("mallory"), log=log, type="notice.posted", body=stranger, nonce="x1"), 6, entries[4].hash
    )
    old = make_body({"text": "old format, members only"}, vis="members")
    bodies[old.key] = old
    old_entry = seal(
        sign_act(key("ana"), log=log, type="notice.posted", body=old, nonce="x2"), 6, entries[4].hash
    )
    leaked_words = make_body({"text": "in the rule body"}, vis="members")
    leaked = make_body(
        {"text": "in the rule body", "words": {"hash": leaked_words.hash, "fields": []}}, vis=RULE_VIS
    )
    bodies[leaked.key] = leaked
    bodies[leaked_words.key] = leaked_words
    leaked_entry = seal(
        sign_act(
            key("ana"), log=log, type="notice.posted", body=with_words(leaked, leaked_words), nonce="x3"
        ),
        6,
        entries[4].hash,
    )
    cases: list[dict[str, Any]] = [
        {"name": "anonymous_replays_every_rule", "entries": [1, 2, 3, 4, 5, 6], "visible": ["public"]},
        {
            "name": "members_replay_every_rule",
            "entries": [1, 2, 3, 4, 5, 6],
            "visible": ["members", "public"],
        },
        {
            "name": "words_erased_by_their_author",
            "entries": [1, 2, 3, 4, 5, 6],
            "visible": ["members", "public"],
            "erased": [{"hash": words_key[0], "vis": "members"}],
        },
        {
            "name": "words_erased_without_an_act",
            "entries": [1, 2, 3, 4, 5],
            "visible": ["members", "public"],
            "erased": [{"hash": words_key[0], "vis": "members"}],
        },
        {
            "name": "words_erased_by_a_decision",
            "entries": list(range(1, 14)),
            "visible": ["members", "public"],
            "erased": [{"hash": decided_key[0], "vis": "members"}],
        },
        {
            # the question is not closed yet: nothing allows the erasure
            "name": "words_erased_before_the_decision",
            "entries": list(range(1, 13)),
            "visible": ["members", "public"],
            "erased": [{"hash": decided_key[0], "vis": "members"}],
        },
        {
            "name": "non_member_seen_by_anonymous",
            "entries": [1, 2, 3, 4, 5, text(stranger_entry.raw)],
            "visible": ["public"],
        },
        {
            "name": "old_format_after_new",
            "entries": [1, 2, 3, 4, 5, text(old_entry.raw)],
            "visible": ["members", "public"],
        },
        {
            "name": "words_in_rule_data",
            "entries": [1, 2, 3, 4, 5, text(leaked_entry.raw)],
            "visible": ["public"],
        },
    ]
    for case in cases:
        raws = [entries[e - 1].raw if isinstance(e, int) else e.encode() for e in case["entries"]]
        erased = {(b["hash"], b["vis"]) for b in case.get("erased", ())}

        def lookup(key: BodyKey, erased: set[BodyKey] = erased) -> Body | Erased | None:
            return ERASED if key in erased else bodies.get(key)

        visible = frozenset(case["visible"])
        report = verify_record(log, raws, bodies=lookup, visible=visible)
        problem = report.problem
        case["expect"] = {
            "ok": report.ok,
            "size": report.size,
            "replayed": report.replayed,
            "problem": None if problem is None else {"seq": problem.seq, "code": problem.code},
        }
        # A verifier that does every step but 8 (such as the browser's), as for verify_cases.
        case["expect_without_rules"] = outcome(
            verify_record(log, raws, bodies=lookup, visible=visible, rules=False)
        )
    types = sorted({e.type for e in entries[1:]})
    return {
        "log": log,
        "prose_fields": {t: sorted(prose_fields(ACT_KINDS[t])) for t in types},
        "bodies": [{"hash": b.hash, "vis": b.vis, "canonical": text(b.raw)} for b in bodies.values()],
        "entries": [entry_vector(e) for e in entries],
        "verify_cases": cases,
    }


def cited(
    entries: list[Entry], seq: int, *, size: int, by: str = "node-1", time: int | None = None
) -> Citation:
    """A citation of entry `seq` of `entries` against a checkpoint of `size` signed by `by`."""
    hashes = [e.hash for e in entries[:size]]
    when = TIME + 9000 if time is None else time
    checkpoint = sign_checkpoint(key(by), log=entries[0].log, size=size, root=root_of(hashes), time=when)
    proof = inclusion_proof(hashes, index=seq - 1)
    return build_citation(entries[seq - 1], checkpoint=checkpoint, proof=proof)


def citation_text(citation: Citation, **change: Any) -> str:
    return text(canonical_bytes({**citation.as_json(), **change}))


def citation_outcome(
    raw: bytes, entries: list[Entry], *, held: int | None, checkpoints: list[bytes], sealers: list[str] | None
) -> dict[str, Any]:
    """What a checker holding `entries[:held]` (every rule replayed) and `checkpoints` finds."""
    try:
        citation = parse_citation_bytes(raw)
        copy = None
        if held is not None:
            kept = [parse_checkpoint(c) for c in checkpoints]
            copy = held_copy_of(entries[:held], citation=citation, checkpoints=kept)
        verdict = check_citation(citation, held=copy, sealers=None if sealers is None else frozenset(sealers))
    except DomainError as exc:
        reason = exc.detail.get("reason", exc.detail.get("field"))
        found: dict[str, Any] = {"ok": False, "code": exc.code, "reason": reason}
        evidence = exc.detail.get("evidence")
        found["evidence"] = None if evidence is None else json.loads(evidence)["kind"]
        return found
    return {
        "ok": True,
        "checked": verdict.checked,
        "sealer_confirmed": verdict.sealer_confirmed,
        "ahead": verdict.ahead,
    }


def citation_vectors(entries: list[Entry]) -> dict[str, Any]:
    """Citations of the vector record's entries (record-format.md 14), each with what the checker holds and
    the outcome. A branch of the record sealed by its own node after entry 4 gives the forks."""
    log, node = entries[0].log, key("node-1")
    good = cited(entries, 3, size=7)
    branch = entries[:4]
    for seq in (5, 6):
        body = make_body({"text": f"Otra version, entrada {seq}"}, vis="public")
        signed = sign_act(key("ana"), log=log, type="notice.posted", body=body, nonce=f"branch{seq}")
        when = TIME + seq * 1000 + 500
        branch.append(seal_entry(signed, seq=seq, prev=branch[-1].hash, time=when, node=node))
    real_6 = sign_checkpoint(
        node, log=log, size=6, root=root_of([e.hash for e in entries[:6]]), time=TIME + 6500
    )
    checkpoint = json.loads(good.checkpoint.raw)
    flipped = {**checkpoint, "sig": ("1" if checkpoint["sig"][0] == "0" else "0") + checkpoint["sig"][1:]}
    spaced = good.raw().decode().replace(',"seq"', ', "seq"')
    small = text(cited(entries, 5, size=5).checkpoint.raw)
    beyond = citation_text(good, seq=7, entry=entries[6].hash, header=text(entries[6].raw), checkpoint=small)
    cases: list[tuple[str, str, int | None, list[bytes], list[str] | None, dict[str, Any]]] = [
        ("by_proof_only", text(good.raw()), None, [], None, {"ok": True, "checked": "proof"}),
        ("sealer_known", text(good.raw()), None, [], [node.public], {"ok": True, "sealer_confirmed": True}),
        ("held_whole", text(good.raw()), 7, [], None, {"ok": True, "checked": "rules", "ahead": False}),
        ("held_shorter", text(good.raw()), 4, [], None, {"ok": True, "checked": "rules", "ahead": True}),
        ("beyond_held", text(cited(entries, 6, size=7).raw()), 4, [], None, {"ok": True, "checked": "proof"}),
        ("extra_field", citation_text(good, note="x"), None, [], None,
         {"code": "malformed_citation", "reason": "fields"}),
        ("seq_zero", citation_text(good, seq=0), None, [], None,
         {"code": "malformed_citation", "reason": "seq"}),
        ("not_canonical", spaced, None, [], None, {"code": "non_canonical"}),
        ("checkpoint_signature", citation_text(good, checkpoint=text(canonical_bytes(flipped))), None, [],
         None, {"code": "citation_bad_checkpoint", "reason": "bad_checkpoint_signature"}),
        ("not_the_sealer", text(cited(entries, 3, size=7, by="mallory").raw()), None, [], [node.public],
         {"code": "citation_bad_checkpoint", "reason": "not_the_sealer"}),
        ("not_the_sealer_held", text(cited(entries, 3, size=7, by="mallory").raw()), 7, [], None,
         {"code": "citation_bad_checkpoint", "reason": "not_the_sealer"}),
        ("wrong_entry_hash", citation_text(good, entry=entries[1].hash), None, [], None,
         {"code": "citation_bad_entry", "reason": "wrong_hash"}),
        ("header_of_another_seq", citation_text(good, header=text(entries[1].raw)), None, [], None,
         {"code": "citation_bad_entry", "reason": "wrong_seq"}),
        ("forged_proof", citation_text(good, proof=["00" * 32, *good.proof[1:]]), None, [], None,
         {"code": "citation_bad_proof", "reason": "root_mismatch"}),
        ("proof_too_short", citation_text(good, proof=list(good.proof[:-1])), None, [], None,
         {"code": "citation_bad_proof", "reason": "proof_too_short"}),
        ("seq_beyond_checkpoint", beyond, None, [], None,
         {"code": "citation_bad_proof", "reason": "index_out_of_range"}),
        ("fork_entry", text(cited(branch, 5, size=6, time=TIME + 7000).raw()), 7, [], None,
         {"code": "citation_fork", "reason": "entry_differs", "evidence": "fork"}),
        ("fork_root", text(cited(branch, 3, size=6, time=TIME + 7000).raw()), 7, [real_6.raw], None,
         {"code": "citation_fork", "reason": "root_differs", "evidence": "equivocation"}),
        ("rolled_back", text(cited(entries, 3, size=5, time=TIME + 9500).raw()), 7, [], None,
         {"code": "citation_rolled_back", "evidence": "rollback"}),
    ]  # fmt: skip
    out = []
    for name, raw, held, checkpoints, sealers, expect in cases:
        found = citation_outcome(raw.encode(), entries, held=held, checkpoints=checkpoints, sealers=sealers)
        wanted = {"ok": "code" not in expect, **expect}
        if {k: found.get(k) for k in wanted} != wanted:
            raise AssertionError(f"citation case {name}: expected {wanted}, found {found}")
        out.append(
            {
                "name": name,
                "citation": raw,
                "held": held,
                "checkpoints": [text(c) for c in checkpoints],
                "sealers": sealers,
                "expect": found,
            }
        )
    return {"good": good.as_json(), "cases": out}


# The act kinds of federations (record-format.md 14.3): a home's statements and a federation's acts citing
# them, with the general citing act; each has one body in `federation_bodies`.
FEDERATION_MODULES = "ayllu.core.federations."
CITING_TYPES = ("record.cited",)


def federation_types() -> list[str]:
    """The record types whose body `federation_bodies` holds: every act kind of federations."""
    found = [t for t, cls in ACT_KINDS.items() if cls.__module__.startswith(FEDERATION_MODULES)]
    return sorted([*found, *CITING_TYPES])


def federation_body_vectors(entries: list[Entry]) -> list[dict[str, Any]]:
    """One public format-2 body of each act kind of federations, as its act signs it: the content, the
    rule body and the (empty or not) words body, each with its exact text and hash. Citations cite
    entries 3 and 4 of the vector record (`citations.good` is the first), which stands for the home
    assembly; the federation is a fixed id. The bodies fix bytes and fields, not the rules: a carried
    body is not the cited entry's own, so a replica replaying the rules would refuse these acts."""
    home, federation = entries[0].log, hashlib.sha256(b"ayllu-vector-federation").hexdigest()
    credential, mandate = cited(entries, 3, size=7).as_json(), cited(entries, 4, size=7).as_json()
    until = TIME + 60 * DAY_MS
    accredited = {"federation": federation, "until": until}
    mandated = {"federation": federation, "question": 4, "position": "yes"}
    withdrawn = {"federation": federation, "credential": 3, "at": TIME + 5000}
    office = {"federation": federation, "office": "convenor", "until": until}
    backing = {"federation": federation, "action": "convene", "starts": TIME + 10 * DAY_MS}
    recorded = {"federation": federation, "resolution": 4, "proposal": 2, "answer": "yes", "households": 2}
    decided = {"federation": federation, "action": "leave"}
    recall_mandate = {**mandated, "question": 6, "position": "confirm"}
    contents: dict[str, dict[str, Any]] = {
        "delegate.accredited": accredited,
        "delegate.mandated": mandated,
        "delegate.withdrawn": withdrawn,
        "office.accredited": office,
        "petition.backed": backing,
        "ratification.recorded": recorded,
        "membership.decided": decided,
        "federation.seated": {
            "assembly": home, "cites": [credential], "credential": accredited, "replaces": key("bea").public
        },
        "federation.voted": {
            "question": 4, "choice": "yes", "cites": [credential, mandate], "mandate": mandated
        },
        "federation.recall_voted": {
            "recall": 6, "choice": "confirm", "cites": [credential, mandate], "mandate": recall_mandate
        },
        "federation.recall_closed": {"recall": 6},
        "federation.plenary_present": {"meeting": 5, "cites": [credential]},
        "federation.plenary_opened": {"meeting": 5},
        "federation.plenary_chaired": {"meeting": 5},
        "federation.office_taken": {"assembly": home, "cites": [credential], "credential": office},
        "federation.petition_cited": {"assembly": home, "cites": [credential], "backing": backing},
        "federation.recall_cited": {"cites": [credential], "withdrawn": withdrawn},
        "federation.ratified": {"resolution": 4, "cites": [credential], "report": recorded},
        "federation.membership_cited": {"assembly": home, "cites": [credential], "decision": decided},
        "record.cited": {"cites": [credential], "note": "Acta de la junta vecinal"},
    }  # fmt: skip
    if sorted(contents) != federation_types():
        raise AssertionError(
            f"federation act kinds without a body vector: {set(federation_types()) ^ set(contents)}"
        )
    out = []
    for type_ in federation_types():
        kind = ACT_KINDS[type_]
        content = kind.parse(contents[type_]).content()  # the body the act's own class writes
        body = split_body(kind, content, vis="public")
        assert body.words is not None
        out.append(
            {
                "type": type_,
                "name": kind.name,
                "content": content,
                "rule": {"hash": body.hash, "vis": body.vis, "canonical": text(body.raw)},
                "words": {"hash": body.words.hash, "vis": body.words.vis, "canonical": text(body.words.raw)},
            }
        )
    return out


def unsigned(raw: bytes) -> bytes:
    obj = json.loads(raw)
    del obj["sig"]
    return canonical_bytes(obj)


def render(vectors: dict[str, Any]) -> str:
    return json.dumps(vectors, indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    fresh = render(build_vectors())
    if "--check" in sys.argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == fresh
        print(
            "docs/record-vectors.json is " + ("up to date" if same else "STALE: run scripts/make_vectors.py")
        )
        return 0 if same else 1
    OUT.write_text(fresh, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
