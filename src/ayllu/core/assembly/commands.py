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


# --- cargos, mandates, recall, draws (issue 4; docs/cargos.md) -------------------------------------


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
) -> Body:  # fmt: skip
    """draw.prepared: pool, quotas, panel size, lottery and its hash as `lottery.prepare_draw` gives them."""
    return {
        "purpose": purpose, "pool": pool, "quotas": quotas, "panel_size": panel_size, "lottery": lottery,
        "lottery_hash": lottery_hash, "commit_until": commit_until, "reveal_until": reveal_until,
        "beacon_chain": beacon_chain, "beacon_after": beacon_after,
    }  # fmt: skip


def build_draw_completion_body(*, draw: int, index: int, panel: list[str], beacon: Body) -> Body:
    """draw.completed: index and panel as `recompute_draw` gives them, and the beacon used."""
    return {"draw": draw, "index": index, "panel": panel, "beacon": beacon}
