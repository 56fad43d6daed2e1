import hashlib
import math
from fractions import Fraction

import pytest

from ayllu.core.sortition import (
    BadLottery,
    Instance,
    check_lottery,
    find_leximin,
    index_from_seed,
    lottery_document,
    lottery_hash,
    round_to_lottery,
)


def chi_square_critical(df: int) -> float:
    """The 0.999 quantile of chi-square(df), by the Wilson-Hilferty approximation."""
    z = 3.090232  # standard normal 0.999 quantile
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def test_every_panel_of_the_lottery_meets_the_quotas(instance: Instance) -> None:
    # given
    lottery = round_to_lottery(find_leximin(instance), size=1000)
    # when / then: no error, and every panel has k distinct people
    check_lottery(lottery_document(lottery, panel_size=instance.panel_size), instance=instance)
    assert lottery.size == 1000
    assert all(len(set(panel)) == instance.panel_size for panel in lottery.panels)


def test_rounding_keeps_everyone_within_the_documented_bound(instance: Instance) -> None:
    # given
    distribution = find_leximin(instance)
    targets = distribution.probabilities()
    size = 1000
    # when
    lottery = round_to_lottery(distribution, size=size)
    # then each person's lottery chance is the share of list entries holding them, within (F_t + 1) / M
    total = distribution.total
    for t, members in enumerate(instance.members):
        spread = sum(
            Fraction(p[t], instance.sizes[t])
            for p, w in zip(distribution.panels, distribution.weights, strict=True)
            if (w * size) % total
        )
        bound = (spread + 1) / size
        for person in members:
            share = Fraction(sum(person in panel for panel in lottery.panels), size)
            assert share == lottery.probabilities[person]
            assert abs(share - targets[person]) < bound
    assert lottery.max_deviation < lottery.bound
    assert sum(lottery.probabilities.values()) == instance.panel_size


def test_people_of_one_type_appear_almost_equally_often(instance: Instance) -> None:
    # when
    lottery = round_to_lottery(find_leximin(instance), size=1000)
    # then
    for members in instance.members:
        counts = {lottery.probabilities[p] * 1000 for p in members}
        assert max(counts) - min(counts) <= 1


def test_a_too_loose_rounding_is_refused(instance: Instance, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a rounding that ignores the weights and repeats the first panel
    from ayllu.core.sortition import lottery as module

    monkeypatch.setattr(module, "_slots", lambda d, size: [size] + [0] * (len(d.panels) - 1))
    # when / then
    with pytest.raises(BadLottery) as caught:
        round_to_lottery(find_leximin(instance), size=1000)
    assert caught.value.detail["reason"] == "rounding_bound"


def test_the_document_hash_changes_when_any_panel_changes(instance: Instance) -> None:
    # given
    lottery = round_to_lottery(find_leximin(instance), size=200)
    document = lottery_document(lottery, panel_size=instance.panel_size)
    recorded = lottery_hash(document)
    # when a member of one panel is swapped for someone else
    panels = [list(p) for p in lottery.panels]
    outsider = next(p for p in sorted(lottery.probabilities) if p not in panels[5])
    panels[5] = sorted([*panels[5][1:], outsider])
    altered = dict(document, panels=panels)
    # then
    assert lottery_hash(document) == recorded
    assert lottery_hash(altered) != recorded


def test_ten_thousand_draws_match_the_computed_probabilities(instance: Instance) -> None:
    # given a lottery, and 10,000 draws from distinct seeds
    size = 100
    distribution = find_leximin(instance)
    lottery = round_to_lottery(distribution, size=size)
    draws = 10_000
    hits = [0] * size
    chosen = dict.fromkeys(lottery.probabilities, 0)
    for n in range(draws):
        index = index_from_seed(hashlib.sha256(b"test-seed" + n.to_bytes(4, "big")).digest(), size=size)
        hits[index] += 1
        for person in lottery.panels[index]:
            chosen[person] += 1
    # then the indices are uniform (chi-square at the 0.1 % level)
    expected = draws / size
    statistic = sum((h - expected) ** 2 / expected for h in hits)
    assert statistic < chi_square_critical(size - 1)
    # and each person is chosen as often as LEXIMIN says, allowing for rounding and sampling noise
    targets = distribution.probabilities()
    for person, count in chosen.items():
        p = float(targets[person])
        sigma = math.sqrt(draws * p * (1 - p)) or 1.0
        assert abs(count - draws * p) <= 4.5 * sigma + draws * float(lottery.bound)


def test_a_listed_panel_that_breaks_a_quota_is_caught(instance: Instance) -> None:
    # given a lottery document where one panel swaps a member for someone of another zone
    lottery = round_to_lottery(find_leximin(instance), size=100)
    document = lottery_document(lottery, panel_size=instance.panel_size)
    zone = {
        p: profile[instance.categories.index("zone")]
        for profile, members in zip(instance.profiles, instance.members, strict=True)
        for p in members
    }
    panel = document["panels"][0]
    leaving = panel[0]
    joining = next(p for p in sorted(zone) if zone[p] != zone[leaving] and p not in panel)
    panels = [sorted([*panel[1:], joining]), *document["panels"][1:]]
    # when / then
    with pytest.raises(BadLottery) as caught:
        check_lottery(dict(document, panels=panels), instance=instance)
    assert caught.value.detail == {"reason": "quotas_not_met", "panel": 0}


def test_the_same_distribution_gives_the_same_list_hash(instance: Instance) -> None:
    # when the whole pipeline runs twice
    hashes = {
        lottery_hash(
            lottery_document(round_to_lottery(find_leximin(instance)), panel_size=instance.panel_size)
        )
        for _ in range(2)
    }
    # then
    assert len(hashes) == 1


def test_the_rounding_moves_nobody_further_than_the_greedy_one_and_keeps_the_lowest_chance(
    instance: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the LEXIMIN distribution and the plain greedy least-squares rounding of it
    from ayllu.core.sortition import rounding

    distribution = find_leximin(instance)
    lowest = min(distribution.type_probabilities())
    with monkeypatch.context() as patched:
        patched.setattr(rounding, "_improve", lambda seats, up, **_: (up, False))
        greedy = round_to_lottery(distribution, size=100)
    # when
    lottery = round_to_lottery(distribution, size=100)
    # then the swaps only improve it, and the lowest chance drops by less than one entry in 100
    assert lottery.max_deviation <= greedy.max_deviation
    assert lottery.lowest > lowest - Fraction(1, 100)
    assert lottery.lowest == min(lottery.probabilities.values())
