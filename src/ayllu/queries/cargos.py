"""Reads of cargos, turns, mandates, recall, draws and concentration, as the record says they are.

Thin functions over the replayed state `queries.assembly` keeps per record (same cache, same lock) and
the core's queries (`ayllu.core.assembly.reads`, docs/cargos.md). Answers are plain JSON-ready data once shown
to a reader: every word is a `core.words.Said` (show it through `shown_to`), except households' names
(`queries.cargo_visibility` hides those) and bodies' and cargos' names (not hidden yet); shares
are `{"value": "num/den", "per_mille"}`. `now` is node time in ms, passed in by the caller (a page, an
API request's `at`, the CLI), so "who holds what" can be asked for any moment.
"""

from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly import allowed
from ayllu.core.assembly import reads as core
from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.replay import AssemblyState
from ayllu.core.assembly.state import Draw, Question, copy_state
from ayllu.core.assembly.words import MEMBERS_ONLY, said
from ayllu.core.cargos.acts import SwapAccepted, SwapProposed, TurnTaken
from ayllu.core.cargos.errors import UnknownDraw
from ayllu.core.cargos.powers import REPRESENT_IN
from ayllu.core.cargos.terms import advance_turns, turns_due
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.concentration.measures import fraction_json
from ayllu.core.errors import DomainError
from ayllu.core.mandates.acts import (
    ABSTAIN,
    DelegateVoted,
    MandateRequested,
    ReportFiled,
    SessionHeld,
    VoteReported,
    delegates_of,
)
from ayllu.core.mandates.recall import RecallPetitioned, RecallSigned
from ayllu.core.sortition.acts import DrawCommitted, DrawRevealed, draw_evidence, pool_attributes
from ayllu.core.sortition.preparation import lottery_probabilities

from .replayed import read_memo, read_state

MONTH_MS = 30 * 24 * 3600 * 1000


def list_cargos(log: str) -> list[dict[str, Any]]:
    """Every cargo: powers, burden, term, seats, filled by turn or waiting for the assembly."""
    return read_state(log, core.list_cargos)


def list_holdings(log: str, *, now: int) -> list[dict[str, Any]]:
    """Who holds which cargo at `now`, until when, and with which powers."""
    return read_state(log, lambda state: core.list_holdings(state, now=now))


def list_turn_order(log: str, *, now: int, months: int = 12) -> list[dict[str, Any]]:
    """Every term of every turn cargo in the coming months, each with every household's standing."""
    return read_state(log, lambda state: core.list_turn_order_ahead(state, now=now, months=months))


def get_planned_roster(log: str, *, now: int, months: int = 12, cargo: str = "") -> dict[str, Any]:
    """The roster solved all at once for the coming months, next to the turn order, for every cargo or
    one (`unknown_cargo_name` if `cargo` is not filled by turn). The turn order decides; this plans.

    Planned from the start of `now`'s day (UTC) and kept per record head and day: one solve takes
    HiGHS a noticeable fraction of a second, and every page view would repeat it. Callers must not
    change the answer.
    """
    day = now - now % DAY_MS
    return read_memo(
        log,
        f"cargos.roster.{day}.{months}.{cargo}",
        lambda state: core.get_planned_roster(state, now=day, months=months, cargo=cargo),
    )


def get_why_our_turn(log: str, *, household: str, now: int, months: int = 12) -> list[dict[str, Any]] | None:
    """For each coming term: where `household` stands and who stands before it (None: no such household)."""

    def read(state: AssemblyState) -> list[dict[str, Any]] | None:
        if household not in state.households:
            return None
        return core.get_why_our_turn(state, household=household, now=now, months=months)

    return read_state(log, read)


def get_households(log: str) -> dict[str, list[str]]:
    """Every household the record names, with its members (current and former), by name."""
    return read_state(log, lambda state: {h: sorted(members) for h, members in state.households.items()})


def get_household_of(log: str, *, member: str) -> str:
    """The household `member` belongs to, as replay holds it ("" for no current member), whatever body
    it was written in: for logic (which turns are ours), never to be shown as it is (a household
    written in a confidential body is shown to nobody; `pages.get_people` has what may be shown)."""

    def read(state: AssemblyState) -> str:
        found = state.members.get(member)
        return found.household if found is not None else ""

    return read_state(log, read)


def list_powers_of(log: str, *, member: str, now: int) -> list[dict[str, str]]:
    """Every power `member` holds at `now`, with the cargo it comes from."""

    def read(state: AssemblyState) -> list[dict[str, str]]:
        return [
            {"cargo": cargo, "power": power} for cargo, power in core.list_powers_of(state, member, now=now)
        ]

    return read_state(log, read)


def list_recall_petitions(log: str, *, open_only: bool = True) -> list[dict[str, Any]]:
    """Recall petitions: signers, the count needed, the question they opened and where it stands."""
    return read_state(log, lambda state: core.list_recall_petitions(state, open_only=open_only))


def list_mandates(log: str, *, body: str = "") -> dict[str, Any]:
    """The assembly's mandates (positions per body and question) and its delegates' requests for one."""

    def read(state: AssemblyState) -> dict[str, Any]:
        return {
            "mandates": core.list_mandates(state, body=body),
            "requests": core.list_mandate_requests(state, body=body),
        }

    return read_state(log, read)


def list_sessions(log: str, *, now: int, body: str = "") -> list[dict[str, Any]]:
    """Sessions of other bodies: who represented the assembly, the report, and whether it is overdue."""
    return read_state(log, lambda state: core.list_sessions(state, now=now, body=body))


def list_report_flags(log: str, *, now: int) -> list[dict[str, Any]]:
    """Overdue delegates' reports at `now`, shown to every member."""
    return read_state(log, lambda state: core.list_report_flags(state, now=now))


def list_delegate_votes(log: str, *, flagged_only: bool = False) -> list[dict[str, Any]]:
    """Delegates' votes in other bodies, cast through ayllu or reported, with their mandate flags."""
    return read_state(log, lambda state: core.list_delegate_votes(state, flagged_only=flagged_only))


def _draw(state: AssemblyState, draw_id: int) -> Draw:
    draw = state.draws.get(draw_id)
    if draw is None:
        raise UnknownDraw(draw=draw_id)
    return draw


def list_draws(log: str) -> list[dict[str, Any]]:
    """Every draw with its evidence (hashes, commitments, reveals, seed, index, panel), oldest first;
    purpose and quotas are `Said`s of `draw.prepared`."""
    return read_state(log, core.list_draws)


def get_draw(log: str, draw_id: int) -> dict[str, Any]:
    """One draw: its evidence, the pool with attributes, and every pool member's exact chance (purpose,
    quotas and attributes are `Said`s of `draw.prepared`)."""

    def read(state: AssemblyState) -> dict[str, Any]:
        draw = _draw(state, draw_id)
        chances = lottery_probabilities(draw)
        return {
            **core.get_draw_evidence(state, draw_id),
            "pool": pool_attributes(draw),
            "chances": {member: fraction_json(chance) for member, chance in sorted(chances.items())},
        }

    return read_state(log, read)


def get_draw_recomputation(log: str, draw_id: int) -> dict[str, Any]:
    """Exactly what `sortition.recompute_draw` reads: lottery document, hash, beacons, commitments, reveals.

    `beacon` is the value recorded at completion (None before): anyone recomputes the draw from this
    answer alone, and checks the beacon value against its named source themselves.
    """

    def read(state: AssemblyState) -> dict[str, Any]:
        draw = _draw(state, draw_id)
        return draw_evidence(draw, beacon=dict(draw.beacon) if draw.beacon else {})

    evidence = read_state(log, read)
    evidence["beacon"] = evidence["beacon"] or None
    return evidence


def get_completed_draw_evidence(log: str, draw_id: int) -> dict[str, Any]:
    """A completed draw's evidence file: what `recompute_draw` reads, with the purpose, the pool's
    attributes and the quotas (`Said`s of `draw.prepared`), the index, panel and seed drawn;
    `unknown_draw` for a draw not completed yet."""

    def read(state: AssemblyState) -> dict[str, Any]:
        draw = _draw(state, draw_id)
        if not draw.completed_seq:
            raise UnknownDraw(draw=draw_id)
        described = core.get_draw_evidence(state, draw_id)
        return {
            **draw_evidence(draw, beacon=dict(draw.beacon)),
            **{
                k: described[k] for k in ("draw", "purpose", "quotas", "index", "panel", "seed", MEMBERS_ONLY)
            },
            "pool": pool_attributes(draw),
        }

    return read_state(log, read)


def get_concentration(log: str, *, start: int, end: int) -> dict[str, Any]:
    """Shares, Gini, top-decile share and breadth of every activity in [start, end), and the alerts."""
    return read_state(log, lambda state: core.get_record_concentration(state, start=start, end=end).as_json())


def get_concentration_thresholds(log: str) -> dict[str, Any]:
    """The charter's thresholds above which concentration raises an alert."""
    return read_state(log, lambda state: dict(state.rules.cargo.concentration))


def list_concentration_alerts(log: str, *, start: int, end: int) -> list[dict[str, Any]]:
    """Only the alerts the charter's thresholds raise for [start, end)."""

    def read(state: AssemblyState) -> list[dict[str, Any]]:
        return [a.as_json() for a in core.list_concentration_alerts(state, start=start, end=end)]

    return read_state(log, read)


# --- the cargo pages' reads ------------------------------------------------------------------------
def explain_turn(turn: dict[str, Any]) -> dict[str, Any]:
    """Why the first household named for a term comes before the next one that may serve, as a code:
    only_one, least_load, never_served, waited_longest, lot; or ask_assembly when nobody may serve."""
    if not turn["holders"]:
        return {"code": "ask_assembly"}
    ranked = [s for s in turn["standings"] if s["rank"] is not None]
    chosen = {h["household"] for h in turn["holders"]}
    runner = next((s for s in ranked if s["household"] not in chosen), None)
    first = next(s for s in ranked if s["household"] in chosen)
    if runner is None:
        return {"code": "only_one", "first": first}
    if first["load"] < runner["load"]:
        code = "least_load"
    elif first["last_served"] != runner["last_served"]:
        code = "never_served" if first["last_served"] is None else "waited_longest"
    else:
        code = "lot"
    return {"code": code, "first": first, "runner": runner}


def get_cargos_page(log: str, *, now: int) -> dict[str, Any]:
    """What the cargos page shows: every cargo with its holdings, the turn order ahead (each term with
    why its household comes first), swap offers, households that may serve, exemptions. A new answer
    per call: the page may mark it for its reader."""

    def read(state: AssemblyState) -> dict[str, Any]:
        holdings = core.list_holdings(state, now=now)
        cargos = core.list_cargos(state)
        for cargo in cargos:
            cargo["term_days"] = cargo["term_ms"] // DAY_MS
            cargo["holdings"] = [h for h in holdings if h["cargo"] == cargo["cargo"]]
        ahead = core.list_turn_order_ahead(state, now=now)
        for turn in ahead:
            turn["why"] = explain_turn(turn)
        return {
            "cargos": cargos,
            "holdings": holdings,
            "ahead": ahead,
            "offers": core.list_swap_offers(state),
            "households": sorted(h for h, n in state.household_active.items() if n),
            "exemptions": core.list_exemptions(state, now=now),
        }

    return read_state(log, read)


def list_bodies(state: AssemblyState) -> list[str]:
    """Every other body the record names: in mandates, sessions, delegates' votes or a cargo's powers."""
    named = {b for b, _ in state.mandates} | {b for b, _ in state.sessions}
    named |= {a.body for a in state.delegate_acts}
    for cargo in state.cargos.values():
        named |= {p.removeprefix(REPRESENT_IN) for p in cargo.powers if p.startswith(REPRESENT_IN)}
    return sorted(named)


def list_past_delegates(state: AssemblyState, body: str) -> list[str]:
    """Everyone who ever held a cargo with the power to represent the assembly in `body`, sorted."""
    power = REPRESENT_IN + body
    return sorted({t.member for c in state.cargos.values() if power in c.powers for t in c.terms})


def get_mandates_page(log: str, *, now: int) -> dict[str, Any]:
    """Per other body: its delegates now and before, the assembly's mandates, its delegates' votes and
    sessions (newest first) and requests; and every overdue report and flagged vote."""

    def read(state: AssemblyState) -> dict[str, Any]:
        sessions = core.list_sessions(state, now=now)
        votes = core.list_delegate_votes(state)
        bodies = [
            {
                "body": body,
                "delegates": delegates_of(state, body, now=now),
                "mandates": core.list_mandates(state, body=body),
                "votes": [v for v in votes if v["body"] == body][::-1],
                "sessions": [s for s in sessions if s["body"] == body][::-1],
                "requests": core.list_mandate_requests(state, body=body),
                "past_delegates": list_past_delegates(state, body),
            }
            for body in list_bodies(state)
        ]
        return {
            "bodies": bodies,
            "overdue": [s for s in sessions if s["overdue"]],
            "flagged": [v for v in votes if v["flag"]],
        }

    return read_state(log, read)


def get_recall_page(log: str, *, now: int, me: str) -> dict[str, Any]:
    """Recall petitions (open ones newest first, then past ones) with their vote where one opened and
    `me`'s ballot in it; current holdings; the charter's signatures and threshold (per mille)."""

    def read(state: AssemblyState) -> dict[str, Any]:
        petitions = core.list_recall_petitions(state, open_only=False)
        for petition in petitions:
            question = state.questions.get(petition["question"]) if petition["question"] else None
            if question is not None:
                petition.update(_recall_vote(question, me=me, now=now))
        return {
            "open": [p for p in petitions if p["status"] in OPEN_RECALL][::-1],
            "past": [p for p in petitions if p["status"] not in OPEN_RECALL][::-1],
            "holdings": core.list_holdings(state, now=now),
            "needed": state.rules.cargo.recall_signatures,
            "threshold": round(state.rules.cargo.recall_threshold * 1000),
        }

    return read_state(log, read)


OPEN_RECALL = ("collecting", "deliberation", "voting")


def _recall_vote(question: Question, *, me: str, now: int) -> dict[str, Any]:
    votes = list(question.votes.values())
    everyone = len(question.votes) == len(question.eligible)
    return {
        "deadline": question.deadline,
        "voted": len(question.votes),
        "eligible": len(question.eligible),
        # the counts are made from the ballots: one ballot the reader may not read hides them
        "counts": said({c: votes.count(c) for c in ("yes", "no", "abstain")}, *question.ballot_seqs.values()),
        "my_vote": question.votes.get(me, ""),
        "may_vote": bool(me)
        and not question.closed_seq
        and me in question.eligible
        and me not in question.votes
        and now <= question.deadline,
        "may_close": bool(me) and not question.closed_seq and (now > question.deadline or everyone),
    }


def get_draw_page(log: str, draw_id: int) -> dict[str, Any]:
    """One draw as its page shows it: `get_draw`'s answer, with the pool as rows (attributes sorted by
    category, chance per mille), the categories and the lowest chance (per mille)."""
    described = get_draw(log, draw_id)
    pool, chances = described["pool"], described["chances"]
    categories = sorted({c for attributes in pool.values() for c in attributes.value})
    return {
        **described,
        "pool": [
            {
                "member": member,
                "attributes": said(sorted(attributes.value.items()), draw_id),
                "chance": chances[member]["per_mille"],
            }
            for member, attributes in pool.items()
        ],
        "categories": said(categories, draw_id),
        "lowest_chance": min((c["per_mille"] for c in chances.values()), default=0),
    }


# --- forms the core would accept now -----------------------------------------------------------------
# A page offers a form exactly when the core would accept the act it submits, signed by the reader's
# key now: each answer runs the act's own rule on a probe (the form's ids and a sample value) without
# applying it (core/assembly/allowed.py). `key` is the reader's signing key ("" for nobody logged in).
SAMPLE_TEXT = "?"
SAMPLE_HEX = "0" * 64


def _may(state: AssemblyState, key: str, act: Act, now: int) -> bool:
    return bool(key) and allowed.may(state, key=key, act=act, time=now)


def _as_replay_finds_it(state: AssemblyState, *, now: int) -> AssemblyState:
    """The state the next entry at `now` meets: terms due by then started, on a copy made once for all
    of a page's probes (each would otherwise copy the state for itself)."""
    if not turns_due(state, now=now):
        return state
    ahead = copy_state(state)
    try:
        advance_turns(ahead, now=now, seq=state.size + 1)
    except DomainError:
        return state  # each probe meets the same refusal
    return ahead


@dataclass(frozen=True, slots=True)
class CargoForms:
    """The cargos page's forms the reader may use now."""

    take_turn: tuple[str, ...]  # cargos whose seat, held by the reader's household, the reader may take
    accept_swap: frozenset[int]  # swap offers the reader may accept
    swap_cargos: tuple[str, ...]  # cargos in which the reader may offer a swap ...
    swap_households: tuple[str, ...]  # ... to these households


def get_cargo_forms(log: str, *, key: str, now: int) -> CargoForms:
    """Which cargo acts the reader may do now: take a seat, accept a swap, offer one (and to whom)."""

    def read(state: AssemblyState) -> CargoForms:
        state = _as_replay_finds_it(state, now=now)
        turn_cargos = [name for name, cargo in sorted(state.cargos.items()) if cargo.created_seq]
        households = sorted(h for h, n in state.household_active.items() if n)
        first = turn_cargos[0] if turn_cargos else ""
        swap_to = tuple(
            h for h in households if first and _may(state, key, SwapProposed(cargo=first, household=h), now)
        )
        return CargoForms(
            take_turn=tuple(c for c in turn_cargos if _may(state, key, TurnTaken(cargo=c), now)),
            accept_swap=frozenset(
                o for o in state.swap_offers if _may(state, key, SwapAccepted(swap=o), now)
            ),
            swap_cargos=tuple(
                c
                for c in turn_cargos
                if swap_to and _may(state, key, SwapProposed(cargo=c, household=swap_to[0]), now)
            ),
            swap_households=swap_to,
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class BodyForms:
    """The reader's forms for one other body on the mandates page."""

    request_mandate: bool
    delegate_vote: bool
    hold_session: bool
    report_vote_for: tuple[str, ...]  # past and present delegates whose vote the reader may report
    file_report: frozenset[str]  # sessions whose report the reader may file


def get_mandate_forms(log: str, *, key: str, now: int) -> dict[str, BodyForms]:
    """Per other body, which mandate and delegate acts the reader may do now."""

    def read(state: AssemblyState) -> dict[str, BodyForms]:
        state = _as_replay_finds_it(state, now=now)
        forms = {}
        for body in list_bodies(state):
            # a question without a mandate, on which any delegate may abstain
            unmandated = next(
                f"?{n}" for n in range(len(state.mandates) + 1) if (body, f"?{n}") not in state.mandates
            )
            vote = dict(body=body, session=SAMPLE_TEXT, question=unmandated, choice=ABSTAIN)
            past = list_past_delegates(state, body)
            forms[body] = BodyForms(
                request_mandate=_may(
                    state, key, MandateRequested(body=body, question=SAMPLE_TEXT, text=""), now
                ),
                delegate_vote=_may(state, key, DelegateVoted(**vote), now),
                hold_session=_may(state, key, SessionHeld(body=body, session=SAMPLE_TEXT), now),
                report_vote_for=tuple(
                    d for d in past if _may(state, key, VoteReported(**vote, delegate=d), now)
                ),
                file_report=frozenset(
                    s
                    for b, s in state.sessions
                    if b == body
                    and _may(state, key, ReportFiled(body=body, session=s, text=SAMPLE_TEXT), now)
                ),
            )
        return forms

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class RecallForms:
    """The recall page's forms the reader may use now."""

    sign: frozenset[int]  # petitions the reader may sign
    petition: frozenset[tuple[str, str]]  # (cargo, holder) the reader may ask to recall


def get_recall_forms(log: str, *, key: str, me: str, now: int) -> RecallForms:
    """Which recall petitions the reader may sign, and which holders they may ask to recall (one does
    not ask to recall oneself, though the core would accept it)."""

    def read(state: AssemblyState) -> RecallForms:
        state = _as_replay_finds_it(state, now=now)
        holdings = [(h["cargo"], h["member"]) for h in core.list_holdings(state, now=now)]
        return RecallForms(
            sign=frozenset(
                p for p in state.recall_petitions if _may(state, key, RecallSigned(petition=p), now)
            ),
            petition=frozenset(
                (cargo, member)
                for cargo, member in holdings
                if member != me
                and _may(state, key, RecallPetitioned(cargo=cargo, member=member, reason=SAMPLE_TEXT), now)
            ),
        )

    return read_state(log, read)


@dataclass(frozen=True, slots=True)
class DrawForms:
    """The reader's forms for one draw."""

    commit: bool
    reveal: bool


def get_draw_forms(log: str, *, key: str, now: int) -> dict[int, DrawForms]:
    """Per draw, whether the reader may commit to a secret now, or reveal the one they committed to."""

    def read(state: AssemblyState) -> dict[int, DrawForms]:
        state = _as_replay_finds_it(state, now=now)
        member = state.key_owner.get(key, "")
        forms = {}
        for draw_id, draw in state.draws.items():
            commit = _may(state, key, DrawCommitted(draw=draw_id, commitment=SAMPLE_HEX), now)
            # The secret is on the reader's device: the probe's sample secret is refused as not matching
            # the commitment, which the rule checks last, so that refusal alone means "reveal now".
            refused = (
                allowed.refusal(state, key=key, act=DrawRevealed(draw=draw_id, secret=SAMPLE_HEX), time=now)
                if key
                else None
            )
            reveal = member in draw.commitments and (
                refused is None or refused.detail.get("reason") == "reveal_does_not_match"
            )
            forms[draw_id] = DrawForms(commit=commit, reveal=reveal)
        return forms

    return read_state(log, read)
