"""Building the bodies of acts for the write path: one `build_<noun>_body` per command, pure and typed.

The write path signs `(type, body)` as the member, seals it, and calls `replay.apply_entry` on its live
state: that single call is the rule check, so nothing here duplicates a rule. These builders only give
the body its documented shape (and omit optional fields that are unset, so bodies stay canonical).
"""

from typing import Any

Body = dict[str, Any]


def _without_none(**fields: Any) -> Body:
    return {k: v for k, v in fields.items() if v is not None}


def build_notice_body(*, text: str) -> Body:
    return {"text": text}


def build_application_body(*, household: str) -> Body:
    """member.applied, signed by the applicant's own new key."""
    return {"household": household}


def build_sponsorship_body(*, applicant: str) -> Body:
    """member.sponsored."""
    return {"applicant": applicant}


def build_key_claim_body(*, member: str) -> Body:
    """member.key_claimed, signed by the new key."""
    return {"member": member}


def build_key_vouch_body(*, key: str) -> Body:
    """member.key_vouched."""
    return {"key": key}


def build_meeting_body(*, title: str, starts: int) -> Body:
    """meeting.convened."""
    return {"title": title, "starts": starts}


def build_petition_body(*, purpose: str | None = None, petition: int | None = None) -> Body:
    """meeting.petitioned: a purpose opens a petition, a petition id signs one."""
    if (purpose is None) == (petition is None):
        raise ValueError("give exactly one of purpose and petition")
    return _without_none(purpose=purpose, petition=petition)


def build_meeting_ref_body(*, meeting: int) -> Body:
    """presence.signed, presence.ended, speaker.queued, meeting.closed."""
    return {"meeting": meeting}


def build_agenda_item_body(*, meeting: int, kind: str, title: str, proposal: int | None = None) -> Body:
    return _without_none(meeting=meeting, kind=kind, title=title, proposal=proposal)


def build_call_speaker_body(*, meeting: int, member: str) -> Body:
    return {"meeting": meeting, "member": member}


def build_proposal_body(
    *,
    matter: str,
    title: str,
    text: str,
    effect: Body | None = None,
    options: list[str] | None = None,
    meeting: int | None = None,
) -> Body:
    """proposal.tabled."""
    return _without_none(
        matter=matter, title=title, text=text, effect=effect or {}, options=options or None, meeting=meeting
    )


def build_objection_body(*, proposal: int, reason: str) -> Body:
    """objection.raised."""
    return {"proposal": proposal, "reason": reason}


def build_question_body(*, proposal: int, deadline: int | None = None) -> Body:
    """question.opened: a deadline between meetings, none in a meeting."""
    return _without_none(proposal=proposal, deadline=deadline)


def build_vote_body(*, question: int, choice: str | list[str], reason: str | None = None) -> Body:
    """vote.cast: yes/no/abstain, consent, agree/stand_aside/block (+reason), or a list of options."""
    return _without_none(question=question, choice=choice, reason=reason)


def build_close_body(*, question: int) -> Body:
    """question.closed: replay computes the outcome."""
    return {"question": question}
