"""The ledger: bytes, keys, entries, the Merkle tree, checkpoints, verification, evidence, witnessing,
succession.
"""
