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


def build_empty_body() -> Body:
    """member.left: leaving needs no fields."""
    return {}


def build_key_rotation_body(*, new_key: str) -> Body:
    """member.key_rotated, signed by the member's current key."""
    return {"new_key": new_key}


def build_household_body(*, household: str) -> Body:
    """household.registered."""
    return {"household": household}


def build_meeting_text_body(*, meeting: int, text: str) -> Body:
    """point_of_order.raised, minutes.note_added."""
    return {"meeting": meeting, "text": text}


def build_ruling_body(*, meeting: int, point: int, ruling: str) -> Body:
    """point_of_order.ruled."""
    return {"meeting": meeting, "point": point, "ruling": ruling}


def build_proposal_ref_body(*, proposal: int) -> Body:
    """proposal.cosigned, proposal.withdrawn."""
    return {"proposal": proposal}


def build_amendment_body(*, proposal: int, title: str, text: str) -> Body:
    """proposal.amended."""
    return {"proposal": proposal, "title": title, "text": text}


def build_amendment_acceptance_body(*, proposal: int, amendment: int) -> Body:
    """amendment.accepted."""
    return {"proposal": proposal, "amendment": amendment}


def build_comment_body(*, proposal: int, text: str) -> Body:
    """comment.posted."""
    return {"proposal": proposal, "text": text}


def build_answer_body(*, proposal: int, objection: int, answer: str) -> Body:
    """objection.answered."""
    return {"proposal": proposal, "objection": objection, "answer": answer}


def build_objection_ref_body(*, proposal: int, objection: int) -> Body:
    """objection.withdrawn."""
    return {"proposal": proposal, "objection": objection}


# --- cargos, mandates, recall, draws (issue 4; docs/cargos.md) -------------------------------------
def build_cargo_creation_body(
    *, title: str, text: str, cargo: str, powers: list[str], burden: int, term_days: int, seats: int = 1
) -> Body:
    """proposal.tabled of matter cargo_creation: the cargo passes into the turn order when adopted."""
    effect = {"cargo": cargo, "powers": powers, "burden": burden, "term_days": term_days, "seats": seats}
    return build_proposal_body(matter="cargo_creation", title=title, text=text, effect=effect)


def build_exemption_body(
    *, title: str, text: str, start: int, end: int, reason: str, household: str | None = None,
    member: str | None = None,
) -> Body:  # fmt: skip
    """proposal.tabled of matter exemption, for a household or one member."""
    effect = _without_none(household=household, member=member, start=start, end=end, reason=reason)
    return build_proposal_body(matter="exemption", title=title, text=text, effect=effect)


def build_mandate_body(*, title: str, text: str, body: str, question: str, position: str) -> Body:
    """proposal.tabled of matter mandate: the assembly's position on a question of another body."""
    effect = {"body": body, "question": question, "position": position}
    return build_proposal_body(matter="mandate", title=title, text=text, effect=effect)


def build_cargo_ref_body(*, cargo: str) -> Body:
    """cargo.turn_taken."""
    return {"cargo": cargo}


def build_swap_proposed_body(*, cargo: str, household: str) -> Body:
    return {"cargo": cargo, "household": household}


def build_swap_accepted_body(*, swap: int) -> Body:
    return {"swap": swap}


def build_delegate_vote_body(*, body: str, session: str, question: str, choice: str) -> Body:
    """delegate.voted."""
    return {"body": body, "session": session, "question": question, "choice": choice}


def build_vote_report_body(*, body: str, session: str, question: str, choice: str, delegate: str) -> Body:
    """delegate.vote_reported."""
    return {"body": body, "session": session, "question": question, "choice": choice, "delegate": delegate}


def build_mandate_request_body(*, body: str, question: str, text: str = "") -> Body:
    return {"body": body, "question": question, "text": text}


def build_session_body(*, body: str, session: str, text: str | None = None) -> Body:
    """delegate.session_held (no text) and delegate.report_filed (with text)."""
    return _without_none(body=body, session=session, text=text)


def build_recall_petition_body(*, cargo: str, member: str, reason: str) -> Body:
    return {"cargo": cargo, "member": member, "reason": reason}


def build_recall_signature_body(*, petition: int) -> Body:
    return {"petition": petition}


def build_draw_commit_body(*, draw: int, commitment: str) -> Body:
    """draw.committed: the commitment from `draws.draw_commitment`, the secret kept on the device."""
    return {"draw": draw, "commitment": commitment}


def build_draw_reveal_body(*, draw: int, secret: str) -> Body:
    return {"draw": draw, "secret": secret}


def build_draw_prepared_body(
    *, purpose: str, pool: Body, quotas: list[Body], panel_size: int, lottery: list[Any], lottery_hash: str,
    commit_until: int, reveal_until: int, beacon_chain: list[Body], beacon_after: int,
    largest_shift_ppm: int | None = None, lowest_chance_ppm: int | None = None,
) -> Body:  # fmt: skip
    """draw.prepared: pool, quotas, panel size, lottery, its hash and the rounding's figures (optional) as
    `sortition.preparation.prepare_draw` gives them."""
    body = {
        "purpose": purpose, "pool": pool, "quotas": quotas, "panel_size": panel_size, "lottery": lottery,
        "lottery_hash": lottery_hash, "commit_until": commit_until, "reveal_until": reveal_until,
        "beacon_chain": beacon_chain, "beacon_after": beacon_after,
    }  # fmt: skip
    figures = {"largest_shift_ppm": largest_shift_ppm, "lowest_chance_ppm": lowest_chance_ppm}
    return body | {name: value for name, value in figures.items() if value is not None}


def build_draw_completion_body(*, draw: int, index: int, panel: list[str], beacon: Body) -> Body:
    """draw.completed: index and panel as `recompute_draw` gives them, and the beacon used."""
    return {"draw": draw, "index": index, "panel": panel, "beacon": beacon}
