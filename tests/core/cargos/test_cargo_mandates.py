"""Mandates: delegates' votes in another body are checked against the assembly's positions; reports."""

from ayllu.core.assembly.words import Said, said
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.mandates.acts import list_delegate_votes, list_report_flags, list_sessions
from factories.assemblies import NAMES, Assembly, create_cargo, decide, holders, replay_all, tick
from factories.charters import cargo_charter

FED = "fejuve"


def _delegation() -> tuple[Assembly, str, str]:
    asm = Assembly.found(NAMES[:4], charter=cargo_charter(cargos={"report_days": 3}))
    create_cargo(asm, "delegado", powers=[f"represent_in:{FED}"], term_days=90)
    decide(asm, "mandate", {"body": FED, "question": "tarifa de agua", "position": "no"})
    delegate = holders(asm, "delegado")[0]
    return asm, delegate, next(n for n in NAMES[:4] if n != delegate)


def _vote(question: str, choice: str, session: str = "2026-03") -> dict[str, str]:
    return {"body": FED, "session": session, "question": question, "choice": choice}


def test_a_vote_contrary_to_the_mandate_is_refused() -> None:
    # given
    asm, delegate, _ = _delegation()
    # when
    contrary = asm.rejects(delegate, "delegate.voted", _vote("tarifa de agua", "yes"))
    asm.act(delegate, "delegate.voted", _vote("tarifa de agua", "no"))
    # then
    assert contrary == "contrary_to_mandate"
    [vote] = list_delegate_votes(asm.state)
    assert isinstance(vote.choice, Said) and vote.choice.value == "no"


def test_on_a_question_without_mandate_the_delegate_abstains_or_asks_for_one() -> None:
    # given
    asm, delegate, _ = _delegation()
    # when
    unmandated = asm.rejects(delegate, "delegate.voted", _vote("nuevo estatuto", "yes"))
    asm.act(delegate, "delegate.voted", _vote("nuevo estatuto", "abstain"))
    asm.act(delegate, "mandate.requested", {"body": FED, "question": "nuevo estatuto", "text": ""})
    decide(asm, "mandate", {"body": FED, "question": "nuevo estatuto", "position": "yes"})
    asm.act(delegate, "delegate.voted", _vote("nuevo estatuto", "yes", session="2026-04"))
    # then
    assert unmandated == "no_mandate"
    assert len(asm.state.mandate_requests) == 1


def test_only_a_current_delegate_votes_or_requests() -> None:
    # given
    asm, _, other = _delegation()
    # when
    codes = [
        asm.rejects(other, "delegate.voted", _vote("tarifa de agua", "no")),
        asm.rejects(other, "mandate.requested", {"body": FED, "question": "q", "text": ""}),
    ]
    # then
    assert codes == ["not_delegate", "not_delegate"]


def test_a_reported_contrary_vote_is_accepted_and_flagged() -> None:
    # given
    asm, _, other = _delegation()
    # when
    report = {**_vote("tarifa de agua", "yes"), "delegate": asm.state.cargos["delegado"].terms[0].member}
    asm.act(other, "delegate.vote_reported", report)
    # then
    assert [v.flag for v in list_delegate_votes(asm.state, flagged_only=True)] == ["contrary_to_mandate"]
    assert replay_all(asm.log, asm.entries, asm.bodies).delegate_acts[0].flag == "contrary_to_mandate"


def test_an_overdue_report_is_flagged_until_the_delegate_files_it() -> None:
    # given: a session of the federation recorded by any member
    asm, delegate, other = _delegation()
    asm.act(other, "delegate.session_held", {"body": FED, "session": "2026-03"})
    early = list_report_flags(asm.state, now=asm.clock)
    # when: the charter's three days pass
    tick(asm, days=4)
    overdue = list_report_flags(asm.state, now=asm.clock)
    refused = asm.rejects(other, "delegate.report_filed", {"body": FED, "session": "2026-03", "text": "r"})
    asm.act(delegate, "delegate.report_filed", {"body": FED, "session": "2026-03", "text": "informe"})
    # then
    assert early == [] and [f.session for f in overdue] == [said("2026-03", overdue[0].seq)]
    assert refused == "not_delegate"
    assert list_report_flags(asm.state, now=asm.clock + 30 * DAY_MS) == []
    assert list_sessions(asm.state, now=asm.clock)[0].report_by
