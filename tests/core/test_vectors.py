"""docs/record-vectors.json: the code still produces it, and it checks out by the spec's rules alone.

The second half re-derives every vector with hashlib, PyNaCl, rfc8785 and pymerkle only, as an
independent verifier written from docs/record-format.md would, so the document cannot drift from the code.
"""

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from nacl.signing import SigningKey, VerifyKey
from pymerkle import InmemoryTree

from ayllu.core.errors import DomainError
from ayllu.core.ledger import keys
from ayllu.core.ledger.canonical import parse_canonical
from ayllu.core.ledger.checkpoints import parse_checkpoint, parse_receipt
from ayllu.core.ledger.merkle import check_consistency, check_inclusion

ROOT = Path(__file__).resolve().parents[2]
VECTORS_PATH = ROOT / "docs" / "record-vectors.json"
ACT_FIELDS = ("v", "log", "type", "author", "vis", "body", "nonce")


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_vectors", ROOT / "scripts" / "make_vectors.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    return loaded


def ctx(vectors: dict[str, Any], name: str) -> bytes:
    return bytes.fromhex(vectors["contexts"][name]["hex"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_file_is_exactly_what_the_code_builds_from_the_seeds() -> None:
    # given
    script = load_script()
    # when
    fresh = script.render(script.build_vectors())
    # then
    assert VECTORS_PATH.read_text(encoding="utf-8") == fresh, "run scripts/make_vectors.py"


def test_contexts_are_the_ones_the_code_signs_with(vectors: dict[str, Any]) -> None:
    # given / when / then
    assert ctx(vectors, "act") == keys.ACT_CONTEXT == b"ayllu/v1/act\x00"
    assert ctx(vectors, "entry") == keys.ENTRY_CONTEXT
    assert ctx(vectors, "checkpoint") == keys.CHECKPOINT_CONTEXT
    assert ctx(vectors, "receipt") == keys.RECEIPT_CONTEXT
    assert ctx(vectors, "endorse") == keys.ENDORSE_CONTEXT
    assert ctx(vectors, "log") == keys.LOG_CONTEXT


def test_public_keys_come_from_the_seeds(vectors: dict[str, Any]) -> None:
    # given / when / then
    for k in vectors["keys"]:
        assert bytes(SigningKey(bytes.fromhex(k["seed"])).verify_key).hex() == k["public"]


def test_canonical_forms_agree_with_an_independent_rfc8785_encoder(vectors: dict[str, Any]) -> None:
    # given / when / then
    for case in vectors["canonical"]:
        assert rfc8785.dumps(json.loads(case["input"])).decode() == case["canonical"], case["name"]
        assert bytes.fromhex(case["canonical_hex"]) == case["canonical"].encode()
        parse_canonical(case["canonical"].encode())


def test_rejected_bytes_are_rejected_with_their_code(vectors: dict[str, Any]) -> None:
    # given / when / then
    for case in vectors["rejected"]:
        raw = bytes.fromhex(case["text_hex"]) if "text_hex" in case else case["text"].encode()
        with pytest.raises(DomainError) as caught:
            parse_canonical(raw)
        assert caught.value.code == case["code"], case["name"]


def test_bodies_hash_to_their_names_and_the_log_derives_from_the_founding_body(
    vectors: dict[str, Any],
) -> None:
    # given
    record = vectors["record"]
    bodies = {b["hash"]: b for b in record["bodies"]}
    # when / then
    for h, body in bodies.items():
        assert sha256(body["canonical"].encode()) == h
        assert rfc8785.dumps(json.loads(body["canonical"])).decode() == body["canonical"]
    founding = bodies[record["founding_body"]]["canonical"].encode()
    assert sha256(ctx(vectors, "log") + founding) == record["log"]


def test_entries_check_out_by_the_spec_alone(vectors: dict[str, Any]) -> None:
    # given
    record = vectors["record"]
    prev = ""
    for seq, entry in enumerate(record["entries"], start=1):
        raw = entry["raw"].encode()
        header = json.loads(raw)
        # when: the act, the node's part, the hash and the leaf are rebuilt from the header
        act_bytes = rfc8785.dumps({name: header[name] for name in ACT_FIELDS})
        node_bytes = rfc8785.dumps({k: v for k, v in header.items() if k != "nsig"})
        # then
        assert rfc8785.dumps(header) == raw
        assert (header["seq"], header["prev"], header["log"], header["v"]) == (seq, prev, record["log"], 1)
        assert act_bytes.decode() == entry["act_signing_bytes"]
        assert node_bytes.decode() == entry["node_signing_bytes"]
        VerifyKey(bytes.fromhex(header["author"])).verify(
            ctx(vectors, "act") + act_bytes, bytes.fromhex(header["asig"])
        )
        VerifyKey(bytes.fromhex(header["node"])).verify(
            ctx(vectors, "entry") + node_bytes, bytes.fromhex(header["nsig"])
        )
        assert sha256(ctx(vectors, "act") + act_bytes) == entry["act_id"]
        assert sha256(raw) == entry["hash"]
        assert sha256(b"\x00" + bytes.fromhex(entry["hash"])) == entry["leaf_hash"]
        assert header["body"] in {b["hash"] for b in record["bodies"]}
        prev = entry["hash"]


def test_merkle_vectors_agree_with_pymerkle_and_verify(vectors: dict[str, Any]) -> None:
    # given
    merkle = vectors["merkle"]
    hashes = merkle["entry_hashes"]
    tree = InmemoryTree(algorithm="sha256")
    for h in hashes:
        tree.append_entry(bytes.fromhex(h))
    # when / then
    assert hashes == [e["hash"] for e in vectors["record"]["entries"]]
    for size, root in enumerate(merkle["roots"]):
        assert tree.get_root(size).hex() == root
    for case in merkle["inclusion"]:
        theirs = tree.prove_inclusion(case["index"] + 1, case["size"]).serialize()["path"][1:]
        assert case["proof"] == theirs
        check_inclusion(
            hashes[case["index"]],
            index=case["index"],
            size=case["size"],
            proof=case["proof"],
            root=merkle["roots"][case["size"]],
        )
    for case in merkle["consistency"]:
        m, n = case["old_size"], case["new_size"]
        check_consistency(
            merkle["roots"][m], old_size=m, new_root=merkle["roots"][n], new_size=n, proof=case["proof"]
        )


def test_the_checkpoint_and_receipt_are_signed_over_their_contexts(vectors: dict[str, Any]) -> None:
    # given
    for name, parse in (("checkpoint", parse_checkpoint), ("receipt", parse_receipt)):
        raw = vectors[name]["raw"].encode()
        obj = json.loads(raw)
        # when
        signed = rfc8785.dumps({k: v for k, v in obj.items() if k != "sig"})
        # then
        assert signed.decode() == vectors[name]["signed_bytes"]
        VerifyKey(bytes.fromhex(obj["node"])).verify(ctx(vectors, name) + signed, bytes.fromhex(obj["sig"]))
        parse(raw)
    checkpoint = json.loads(vectors["checkpoint"]["raw"])
    assert checkpoint["root"] == vectors["merkle"]["roots"][checkpoint["size"]]


def test_every_verify_case_names_a_distinct_failure(vectors: dict[str, Any]) -> None:
    # given
    cases = vectors["verify_cases"]
    # when
    codes = [c["expect"]["problem"]["code"] for c in cases if c["expect"]["problem"]]
    # then
    assert cases[0]["expect"]["ok"] and len(cases) - 1 == len(codes)
    assert {"seq_gap", "bad_node_signature", "bad_author_signature", "not_a_member"} <= set(codes)
    assert {"duplicate_act", "missing_body", "receipt_not_honoured"} <= set(codes)
