"""The RFC 9162 Merkle tree: roots and proofs agree with pymerkle; tampered proofs are rejected."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from ayllu.core.errors import BadProof
from ayllu.core.ledger.merkle import (
    EMPTY_ROOT,
    Frontier,
    check_consistency,
    check_inclusion,
    consistency_proof,
    frontier_of,
    inclusion_proof,
    leaf_hash,
    root_of,
)

MAX_SIZE = 140


def entry_hashes(n: int, *, salt: str = "") -> list[str]:
    return [hashlib.sha256(f"{salt}entry {i}".encode()).hexdigest() for i in range(n)]


def pymerkle_tree(hashes: list[str]) -> InmemoryTree:
    tree = InmemoryTree(algorithm="sha256")
    for h in hashes:
        tree.append_entry(bytes.fromhex(h))
    return tree


def flip(hex_hash: str, *, bit: int = 0) -> str:
    raw = bytearray(bytes.fromhex(hex_hash))
    raw[bit // 8 % 32] ^= 1 << (bit % 8)
    return raw.hex()


sizes = st.integers(min_value=1, max_value=MAX_SIZE)


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(sizes)
    return n, draw(st.integers(min_value=0, max_value=n - 1))


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(sizes)
    return draw(st.integers(min_value=1, max_value=n)), n


def test_the_empty_tree_has_the_hash_of_nothing_as_root() -> None:
    # given / when / then
    assert root_of([]) == EMPTY_ROOT == hashlib.sha256(b"").hexdigest()
    assert Frontier().root() == EMPTY_ROOT


def test_a_leaf_is_hashed_with_a_zero_byte_before_the_raw_entry_hash() -> None:
    # given
    h = entry_hashes(1)[0]
    # when / then
    assert leaf_hash(h) == hashlib.sha256(b"\x00" + bytes.fromhex(h)).hexdigest()
    assert root_of([h]) == leaf_hash(h)


def test_two_leaves_are_joined_with_a_one_byte() -> None:
    # given
    a, b = entry_hashes(2)
    # when
    expected = hashlib.sha256(b"\x01" + bytes.fromhex(leaf_hash(a)) + bytes.fromhex(leaf_hash(b))).hexdigest()
    # then
    assert root_of([a, b]) == expected


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=0, max_value=MAX_SIZE))
def test_roots_agree_with_pymerkle(n: int) -> None:
    # given
    hashes = entry_hashes(n)
    tree = pymerkle_tree(hashes)
    # when / then
    assert root_of(hashes) == tree.get_root(n).hex()


def test_the_frontier_gives_the_root_of_every_prefix() -> None:
    # given
    hashes = entry_hashes(MAX_SIZE)
    frontier = Frontier()
    # when / then
    for n, h in enumerate(hashes, start=1):
        frontier = frontier.append(h)
        assert frontier.size == n
        assert len(frontier.peaks) == n.bit_count()
        assert frontier.root() == root_of(hashes[:n])
    assert frontier_of(hashes) == frontier


def test_a_frontier_survives_its_json_form() -> None:
    # given
    frontier = frontier_of(entry_hashes(13))
    # when
    again = Frontier.from_json(frontier.as_json())
    # then
    assert again == frontier


@pytest.mark.parametrize(
    "stored",
    [None, [], {"size": 3, "peaks": [EMPTY_ROOT]}, {"size": -1, "peaks": []}, {"size": 1, "peaks": ["zz"]}],
)
def test_a_malformed_frontier_is_refused(stored: object) -> None:
    # given / when / then
    with pytest.raises(BadProof):
        Frontier.from_json(stored)


@settings(max_examples=80, deadline=None)
@given(case=size_and_index())
def test_inclusion_proofs_agree_with_pymerkle_and_verify(case: tuple[int, int]) -> None:
    # given
    n, index = case
    hashes = entry_hashes(n)
    theirs = pymerkle_tree(hashes).prove_inclusion(index + 1, n).serialize()["path"]
    # when
    proof = inclusion_proof(hashes, index=index)
    # then
    assert proof == theirs[1:]
    check_inclusion(hashes[index], index=index, size=n, proof=proof, root=root_of(hashes))


@settings(max_examples=80, deadline=None)
@given(case=size_and_index(), data=st.data())
def test_a_tampered_inclusion_proof_is_rejected(case: tuple[int, int], data: st.DataObject) -> None:
    # given
    n, index = case
    hashes = entry_hashes(n)
    root = root_of(hashes)
    proof = inclusion_proof(hashes, index=index)
    # The size is not tampered with here: a root commits to its size only through the signed checkpoint,
    # and a leaf of a left perfect subtree has the same path in every tree that contains that subtree.
    tamperings = ["leaf", "root", "index", "extra"]
    if proof:
        tamperings += ["flip", "drop"]
    how = data.draw(st.sampled_from(tamperings))
    leaf, at, path = hashes[index], index, list(proof)
    if how == "leaf":
        leaf = flip(leaf, bit=data.draw(st.integers(0, 255)))
    elif how == "root":
        root = flip(root, bit=data.draw(st.integers(0, 255)))
    elif how == "index":
        at = data.draw(st.integers(0, n).filter(lambda i: i != index))
    elif how == "extra":
        path.insert(data.draw(st.integers(0, len(path))), root)
    elif how == "flip":
        i = data.draw(st.integers(0, len(path) - 1))
        path[i] = flip(path[i], bit=data.draw(st.integers(0, 255)))
    else:
        del path[data.draw(st.integers(0, len(path) - 1))]
    # when / then
    with pytest.raises(BadProof):
        check_inclusion(leaf, index=at, size=n, proof=path, root=root)


@settings(max_examples=80, deadline=None)
@given(case=two_sizes())
def test_consistency_proofs_verify_and_pymerkle_agrees_on_both_roots(case: tuple[int, int]) -> None:
    # given
    m, n = case
    hashes = entry_hashes(n)
    tree = pymerkle_tree(hashes)
    old_root, new_root = root_of(hashes[:m]), root_of(hashes)
    # when
    proof = consistency_proof(hashes, old_size=m)
    # then
    assert (old_root, new_root) == (tree.get_root(m).hex(), tree.get_root(n).hex())
    check_consistency(old_root, old_size=m, new_root=new_root, new_size=n, proof=proof)
    theirs = tree.prove_consistency(m, n)
    theirs.verify(tree.get_root(m), tree.get_root(n))


@settings(max_examples=100, deadline=None)
@given(case=two_sizes(), data=st.data())
def test_a_tampered_consistency_proof_is_rejected(case: tuple[int, int], data: st.DataObject) -> None:
    # given
    m, n = case
    hashes = entry_hashes(n)
    old_root, new_root = root_of(hashes[:m]), root_of(hashes)
    proof = consistency_proof(hashes, old_size=m)
    tamperings = ["old_root", "new_root", "forked_old", "extra"]
    if proof:
        tamperings += ["flip", "drop"]
    if m < n:
        tamperings += ["old_size"]
    how = data.draw(st.sampled_from(tamperings))
    # As with inclusion, a root commits to its size only through the checkpoint that signs both.
    old_size, new_size, path = m, n, list(proof)
    if how == "old_root":
        old_root = flip(old_root, bit=data.draw(st.integers(0, 255)))
    elif how == "new_root":
        new_root = flip(new_root, bit=data.draw(st.integers(0, 255)))
    elif how == "forked_old":
        # an old tree with one different entry: a fork the proof must expose
        forked = list(hashes[:m])
        forked[data.draw(st.integers(0, m - 1))] = entry_hashes(1, salt="fork")[0]
        old_root = root_of(forked)
    elif how == "old_size":
        old_size = data.draw(st.integers(1, n).filter(lambda s: s != m))
        old_root = root_of(hashes[:old_size])
    elif how == "extra":
        path.insert(data.draw(st.integers(0, len(path))), new_root)
    elif how == "flip":
        i = data.draw(st.integers(0, len(path) - 1))
        path[i] = flip(path[i], bit=data.draw(st.integers(0, 255)))
    else:
        del path[data.draw(st.integers(0, len(path) - 1))]
    # when / then
    if how == "old_size" and consistency_proof(hashes, old_size=old_size) == path:
        return  # two sizes can share a proof only when both are honestly consistent
    with pytest.raises(BadProof):
        check_consistency(old_root, old_size=old_size, new_root=new_root, new_size=new_size, proof=path)


@pytest.mark.parametrize(("index", "size", "claimed"), [(0, 1, 2), (0, 2, 4), (1, 3, 6)])
def test_an_inclusion_proof_must_use_up_the_claimed_size(index: int, size: int, claimed: int) -> None:
    # given: an honest proof, presented for a larger tree than it was made for
    hashes = entry_hashes(size)
    proof = inclusion_proof(hashes, index=index)
    # when / then (RFC 9162 2.1.3.2 step 5: sn must reach 0)
    with pytest.raises(BadProof):
        check_inclusion(hashes[index], index=index, size=claimed, proof=proof, root=root_of(hashes))


@pytest.mark.parametrize(("old", "new", "claimed"), [(1, 2, 3), (1, 2, 4), (1, 3, 5)])
def test_a_consistency_proof_must_use_up_the_claimed_size(old: int, new: int, claimed: int) -> None:
    # given: an honest proof, presented for a larger new tree than it was made for
    hashes = entry_hashes(new)
    proof = consistency_proof(hashes, old_size=old)
    # when / then (RFC 9162 2.1.4.2 step 7: sn must reach 0)
    with pytest.raises(BadProof):
        check_consistency(
            root_of(hashes[:old]), old_size=old, new_root=root_of(hashes), new_size=claimed, proof=proof
        )


def test_an_index_outside_the_tree_is_rejected() -> None:
    # given
    hashes = entry_hashes(4)
    proof = inclusion_proof(hashes, index=3)
    # when / then
    with pytest.raises(BadProof):
        check_inclusion(hashes[3], index=4, size=4, proof=proof, root=root_of(hashes))
    with pytest.raises(BadProof):
        inclusion_proof(hashes, index=4)


def test_consistency_from_the_empty_tree_needs_only_the_empty_root() -> None:
    # given
    hashes = entry_hashes(5)
    # when / then
    check_consistency(EMPTY_ROOT, old_size=0, new_root=root_of(hashes), new_size=5, proof=[])
    with pytest.raises(BadProof):
        check_consistency(root_of(hashes[:1]), old_size=0, new_root=root_of(hashes), new_size=5, proof=[])


def test_a_tree_is_not_consistent_with_a_larger_older_one() -> None:
    # given
    hashes = entry_hashes(5)
    # when / then
    with pytest.raises(BadProof):
        check_consistency(root_of(hashes), old_size=5, new_root=root_of(hashes[:3]), new_size=3, proof=[])
