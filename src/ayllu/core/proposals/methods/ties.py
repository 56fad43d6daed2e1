"""The tie rule shared by the choice methods: an order fixed by the record, not by anyone's choice.

Options are ordered by SHA-256 over the UTF-8 bytes of the tie seed, one zero byte, and the UTF-8 bytes
of the option; the smaller digest comes first. The seed is something already in the record before any
ballot is cast (the proposal's entry hash), so every replica computes the same order and nobody can
pick a seed after seeing the votes.
"""

import hashlib
from collections.abc import Iterable

from ayllu.core.proposals.methods.errors import InvalidParameter


def tie_key(tie_seed: str, option: str) -> bytes:
    """Return the digest that places `option` in the tie order for `tie_seed`."""
    return hashlib.sha256(tie_seed.encode() + b"\x00" + option.encode()).digest()


def tie_order(tie_seed: str, options: Iterable[str]) -> tuple[str, ...]:
    """Order options by the tie rule; raise if the seed is empty (a forgotten seed is not a seed)."""
    if not tie_seed:
        raise InvalidParameter(name="tie_seed", value=tie_seed)
    return tuple(sorted(options, key=lambda option: tie_key(tie_seed, option)))
