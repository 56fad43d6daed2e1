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

from ayllu.core.charter.founding import found_assembly
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.checkpoints import sign_checkpoint, sign_receipt
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
from ayllu.core.ledger.record import Body, BodyKey, Entry, SignedAct, make_body, seal_entry, sign_act
from ayllu.core.ledger.verify import verify_record

OUT = Path(__file__).resolve().parent.parent / "docs" / "record-vectors.json"
TIME = 1_764_000_000_000
NAMES = ("ana", "bea", "node-1", "mallory")


def seed(name: str) -> bytes:
    return hashlib.sha256(b"ayllu-test-key/" + name.encode()).digest()


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


def verify_cases(entries: list[Entry], bodies: dict[str, Body]) -> list[dict[str, Any]]:
    """Records to verify, as lists of good seqs (ints) or raw headers, with the outcome expected."""
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
        {"name": "not_a_member", "entries": [1, 2, 3, 4, 5, 6, 7, text(outsider_entry.raw)]},
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
    ]
    extra_bodies = {spoken.hash: spoken}
    for case in cases:
        raws = [entries[e - 1].raw if isinstance(e, int) else e.encode() for e in case["entries"]]
        withheld = set(case.get("withheld", ()))
        everything = {**bodies, **extra_bodies}
        for held in case.get("held_as", ()):
            everything[held["hash"]] = Body(everything[held["hash"]].raw, held["vis"])

        def lookup(
            key: BodyKey, withheld: set[str] = withheld, everything: dict[str, Body] = everything
        ) -> Body | None:
            found = None if key[0] in withheld else everything.get(key[0])
            return found if found is not None and found.key == key else None

        receipts = [r.encode() for r in case.get("receipts", ())]
        report = verify_record(log, raws, bodies=lookup, receipts=receipts)
        problem = report.problem
        case["expect"] = {
            "ok": report.ok,
            "size": report.size,
            "head": report.head,
            "root": report.root,
            "problem": None if problem is None else {"seq": problem.seq, "code": problem.code},
        }
    return cases


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
    }


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
