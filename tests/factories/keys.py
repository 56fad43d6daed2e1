"""Deterministic test keys: `keypair("ana")` by name, `keypair(7)` by number.

A named key's seed is SHA-256 of "ayllu-test-key/" + name; a numbered key's seed is the byte `n` 32 times.
Both are remembered, so a test may ask for the same key as often as it reads well.
"""

import hashlib
from functools import cache

from ayllu.core.ledger.keys import Keypair


def seed_for(who: str | int) -> bytes:
    """The 32-byte seed of test key `who`."""
    if isinstance(who, int):
        return bytes([who]) * 32
    return hashlib.sha256(b"ayllu-test-key/" + who.encode()).digest()


@cache
def keypair(who: str | int) -> Keypair:
    """The deterministic test key pair called `who`."""
    return Keypair.from_seed(seed_for(who))


def pub(who: str | int) -> str:
    """The public key (and member id) of test key `who`."""
    return keypair(who).public
