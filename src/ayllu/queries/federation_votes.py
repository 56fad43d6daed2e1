"""Reads of a federation's questions as a home assembly sees them: what we mandated, beside how our
delegates cast our voice there (from the federation's record, where this node holds it).

The federation's ballots are rule data of its public record (`federation.voted`: ids, keys and the
position the cited `delegate.mandated` states in its public body); the mandate in force is the words of
the home decision, wrapped like every mandate (`said`, mandates/acts.py `list_mandates`).
"""

from typing import Any

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import said
from ayllu.core.federations.mandated import DelegateMandated
from ayllu.core.federations.voting import list_delegation_ballots
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.storage import models

from .allowed import acts_allowed, as_replay_finds_it
from .cargos import list_bodies
from .replayed import read_state


def _home_mandates(log: str, *, key: str, now: int) -> dict[str, dict[int, dict[str, Any]]]:
    """Per federation named as a body, the mandates in force on its questions (a mandate's question
    written as the federation question's id), each with the `delegate.mandated` that states it (0: none
    since the decision) and whether the reader may state it now."""

    def read(state: AssemblyState) -> dict[str, dict[int, dict[str, Any]]]:
        state = as_replay_finds_it(state, now=now)
        allows = acts_allowed(state, key=key, now=now) if key else None
        out: dict[str, dict[int, dict[str, Any]]] = {}
        for body in list_bodies(state):
            if not is_hex(body, HEX_KEY_LENGTH):
                continue
            rows = out.setdefault(body, {})
            for (b, question), mandate in state.mandates.items():
                if b != body or not question.isdigit():
                    continue
                number = int(question)
                stated = max(
                    (
                        seq
                        for seq, (fed, q, position) in state.mandates_stated.items()
                        if (fed, q, position) == (body, number, mandate.position) and seq > mandate.seq
                    ),
                    default=0,
                )
                act = DelegateMandated(federation=body, question=number, position=mandate.position)
                rows[number] = {
                    "position": said(mandate.position, mandate.proposal),
                    "proposal": mandate.proposal,
                    "stated": stated,
                    "may_state": bool(not stated and allows is not None and allows(act)),
                }
        return out

    return read_state(log, read)


def _our_voices(federation: str, *, home: str) -> dict[int, dict[str, Any]] | None:
    """Our assembly's standing voice on each question of `federation`, where this node holds it."""
    if not models.Record.objects.filter(log=federation).exists():
        return None

    def read(state: AssemblyState) -> dict[int, dict[str, Any]] | None:
        if state.charter is None or state.charter.federation is None:
            return None
        return {b["question"]: b for b in list_delegation_ballots(state, assembly=home) if not b["recast"]}

    return read_state(federation, read)


def get_federation_mandates(log: str, *, key: str, now: int) -> dict[str, dict[str, Any]]:
    """Per federation the assembly is represented in: whether this node holds its record, and per
    question (newest first) our mandate in force and how our delegates cast our voice — `current` when
    the voice cites the statement of the mandate in force."""
    out = {}
    for federation, mandates in _home_mandates(log, key=key, now=now).items():
        voices = _our_voices(federation, home=log)
        rows = []
        for question in sorted(set(mandates) | set(voices or {}), reverse=True):
            mandate, voice = mandates.get(question), (voices or {}).get(question)
            rows.append(
                {
                    "question": question,
                    "mandate": mandate,
                    "voice": voice,
                    "current": bool(mandate and voice and mandate["stated"] == voice["mandate_seq"]),
                }
            )
        out[federation] = {"held": voices is not None, "questions": rows}
    return out
