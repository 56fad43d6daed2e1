"""Reminders of cargos and mandates, from the record and the clock: turns coming, terms ending, reports
overdue, swaps offered, mandates requested, a delegate's vote flagged; each to the members it concerns and
no one else."""

from ayllu.core.assembly.reminders import list_reminders
from ayllu.queries.replayed import read_state
from factories.scenes import DAY_MS, NAMES, CargoAssembly, Clock, build_scene, clock

__all__ = ["clock"]  # the fixture, imported for the tests below


def reminders(asm: CargoAssembly, *, now: int) -> dict[str, list[str]]:
    """Each member's reminder ids (by name) at `now`, questions and meetings left out."""
    found = read_state(
        asm.log, lambda state: {n: list_reminders(state, now=now, member=asm.pub(n)) for n in NAMES}
    )
    skip = ("question", "meeting")
    return {n: [r.id for r in found[n] if not r.kind.startswith(skip)] for n in NAMES}


def test_cargo_and_mandate_reminders_reach_the_members_they_concern(db: None, clock: Clock) -> None:
    # given the cargo scene: turns of two cargos, a delegate whose report on a session is overdue
    asm = build_scene(clock, draw=False)
    delegate = asm.holders("delegacion")[0]
    treasurer = asm.holders("tesoreria")[0]
    session = read_state(asm.log, lambda s: s.sessions[("fejuve", "marzo")].seq)
    # and a swap of turns offered by one household to another, and a mandate the delegate asks for
    offering = next(n for n in NAMES if n not in (delegate, treasurer) and n not in ("eva", "flor"))
    swap = asm.act(offering, "cargo.swap_proposed", {"cargo": "tesoreria", "household": "Choque"})
    request = asm.act(delegate, "mandate.requested", {"body": "fejuve", "question": "Peaje", "text": "?"})
    now = clock.now
    # when each member's reminders are asked for now
    found = reminders(asm, now=now)
    # then the delegate hears of their overdue report; eva and flor (household Choque) of the swap
    # offered to them; everyone but the delegate of the mandate requested
    assert f"report-overdue:{session}" in found[delegate]
    assert [n for n in NAMES if f"report-overdue:{session}" in found[n]] == [delegate]
    assert [n for n in NAMES if f"swap-offered:{swap}" in found[n]] == ["eva", "flor"]
    assert [n for n in NAMES if f"mandate-requested:{request}" in found[n]] == [
        n for n in NAMES if n != delegate
    ]
    # and no term ends within a week yet (terms are 30 days, 10 passed)
    assert not any(r.startswith("term-ending") for ids in found.values() for r in ids)
    # when the clock reaches a week before the terms end
    ending = read_state(asm.log, lambda s: s.cargos["tesoreria"].holders[asm.pub(treasurer)])
    later = reminders(asm, now=ending - 7 * DAY_MS + 1)
    # then the treasurer hears their term ends, and only them of that term
    term = [n for n in NAMES if any(r.startswith("term-ending:tesoreria:") for r in later[n])]
    assert term == [treasurer]
    # and the households serving next hear their turn is coming, within the week before it starts
    coming = {n for n in NAMES if any(r.startswith("turn-coming:tesoreria:") for r in later[n])}
    assert coming and treasurer not in coming
    too_early = reminders(asm, now=ending - 8 * DAY_MS)
    assert not any(r.startswith("turn-coming:tesoreria:") for ids in too_early.values() for r in ids)


def test_a_reminders_id_is_stable_as_the_record_grows(db: None, clock: Clock) -> None:
    # given the scene's reminders
    asm = build_scene(clock, draw=False)
    before = reminders(asm, now=clock.now)
    # when unrelated acts are appended
    asm.act("ana", "notice.posted", {"text": "Faena el sábado"})
    # then every member's reminders keep their ids
    assert reminders(asm, now=clock.now) == before


def test_a_flagged_delegate_vote_alerts_every_member_but_the_delegate_for_a_week(
    db: None, clock: Clock
) -> None:
    # given the scene: a vote reported of the delegate on a question the assembly gave no mandate on
    asm = build_scene(clock, draw=False)
    delegate = asm.holders("delegacion")[0]
    reported = asm.ids["reported"]
    voted_at = read_state(asm.log, lambda s: next(a.time for a in s.delegate_acts if a.seq == reported))
    # when each member's reminders are asked for a day after the vote
    day_after = voted_at + DAY_MS
    found = reminders(asm, now=day_after)
    # then everyone but the delegate hears of the alert; the vote cast as mandated raises none
    alert = f"vote-flagged:{reported}"
    assert [n for n in NAMES if alert in found[n]] == [n for n in NAMES if n != delegate]
    assert not any(r == f"vote-flagged:{asm.ids['voted']}" for ids in found.values() for r in ids)
    member = asm.pub(next(n for n in NAMES if n != delegate))
    flags = read_state(asm.log, lambda s: {r.flag for r in list_reminders(s, now=day_after, member=member)})
    assert "without_mandate" in flags
    # and a week after the vote it is no longer news
    assert not any(alert in ids for ids in reminders(asm, now=voted_at + 7 * DAY_MS).values())
