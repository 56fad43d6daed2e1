"""Proofs asked of subtree roots (a node's stored blocks) are the proofs of the whole list of hashes."""

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from ayllu.core.ledger.merkle import (
    consistency_proof,
    consistency_proof_by_ranges,
    inclusion_proof,
    inclusion_proof_by_ranges,
    leaf_of,
    subtree_root,
)


def hashes(n: int) -> list[str]:
    return [hashlib.sha256(str(i).encode()).hexdigest() for i in range(n)]


@given(
    st.integers(min_value=1, max_value=600).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1)))
)
def test_an_inclusion_proof_by_ranges_is_the_proof_over_all_hashes(case: tuple[int, int]) -> None:
    # given a tree of n leaves, and a way to ask for the root of any range of them
    n, index = case
    entries = hashes(n)
    leaves = [leaf_of(h) for h in entries]
    # when / then
    proof = inclusion_proof_by_ranges(lambda lo, hi: subtree_root(leaves[lo:hi]), index=index, size=n)
    assert proof == inclusion_proof(entries, index=index)


@given(st.integers(0, 600).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_a_consistency_proof_by_ranges_is_the_proof_over_all_hashes(case: tuple[int, int]) -> None:
    # given a tree of n leaves, and an older size
    n, old = case
    entries = hashes(n)
    leaves = [leaf_of(h) for h in entries]
    # when / then
    proof = consistency_proof_by_ranges(lambda lo, hi: subtree_root(leaves[lo:hi]), old_size=old, size=n)
    assert proof == consistency_proof(entries, old_size=old)
