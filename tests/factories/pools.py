"""Small sortition pools shared by the tests: deterministic, and small enough to solve by brute force."""

import random

from ayllu.core.sortition import Quota


def biased_pool(*, seed: int, people: int) -> dict[str, dict[str, str]]:
    """Return a pool where women, the centre and the old are over-represented, as volunteers often are."""
    rng = random.Random(seed)
    pool = {}
    for i in range(people):
        pool[f"m{i:03d}"] = {
            "gender": rng.choices(["f", "m"], weights=[3, 2])[0],
            "zone": rng.choices(["centre", "east", "west"], weights=[4, 2, 1])[0],
            "age": rng.choices(["young", "old"], weights=[1, 2])[0],
        }
    return pool


QUOTAS = [
    Quota("gender", "f", 4, 5),
    Quota("gender", "m", 4, 5),
    Quota("zone", "centre", 3, 4),
    Quota("zone", "east", 3, 3),
    Quota("zone", "west", 2, 3),
    Quota("age", "young", 3, 5),
    Quota("age", "old", 4, 6),
]


TINY_QUOTAS = [
    Quota("gender", "f", 1, 2),
    Quota("gender", "m", 1, 2),
    Quota("zone", "centre", 1, 2),
    Quota("zone", "east", 1, 1),
    Quota("zone", "west", 0, 1),
    Quota("age", "young", 1, 3),
    Quota("age", "old", 1, 3),
]
