"""Deterministic test keys: `keypair("ana")` by name, `keypair(7)` by number.

A named key's seed is SHA-256 of family + "/" + name (the family is "ayllu-test-key" unless a scene names
its own); a numbered key's seed is the byte `n` 32 times. Keys are remembered, so a test may ask for the
same key as often as it reads well.
"""

import hashlib
from functools import cache

from ayllu.core.ledger.keys import Keypair

FAMILY = "ayllu-test-key"


def seed_for(who: str | int, *, family: str = FAMILY) -> bytes:
    """The 32-byte seed of test key `who`."""
    if isinstance(who, int):
        return bytes([who]) * 32
    return hashlib.sha256(f"{family}/{who}".encode()).digest()


@cache
def keypair(who: str | int, *, family: str = FAMILY) -> Keypair:
    """The deterministic test key pair called `who`."""
    return Keypair.from_seed(seed_for(who, family=family))


def pub(who: str | int, *, family: str = FAMILY) -> str:
    """The public key (and member id) of test key `who`."""
    return keypair(who, family=family).public
