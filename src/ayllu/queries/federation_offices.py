"""Reads of a federation's offices by turn and overflow petitions, and of what a home assembly may do
about them (docs/federation-bodies.md). Ids, keys, seqs and times only: no words of any act."""

from functools import partial
from typing import Any

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.cargos.powers import OFFICE_IN, REPRESENT_IN, office_in
from ayllu.core.charter.rules import DAY_MS
from ayllu.core.federations.credentials import holding_end
from ayllu.core.federations.office_concentration import get_office_concentration
from ayllu.core.federations.offices import OfficeAccredited, at_moment, list_offices
from ayllu.core.federations.petitions import (
    CONVENE,
    SUSPEND,
    WITHDRAW,
    YES,
    PetitionBacked,
    list_petitions,
    petition_fields,
    petition_needs,
    petition_question,
    petition_target,
)
from ayllu.core.federations.plenary import list_plenaries
from ayllu.core.federations.recall_vote import list_recall_votes
from ayllu.core.ledger.keys import HEX_KEY_LENGTH, is_hex
from ayllu.storage import models

from .allowed import acts_allowed
from .replayed import read_state


def _names(logs: list[str]) -> dict[str, str]:
    return dict(models.Record.objects.filter(log__in=logs).values_list("log", "name"))


def _federation_view(state: AssemblyState, *, now: int) -> dict[str, Any] | None:
    rules = state.charter.federation if state.charter is not None else None
    if rules is None:
        return None
    ahead = at_moment(state, now=now)
    return {
        "log": state.log,
        "offices": list_offices(ahead, now=now),
        "offices_per_assembly": rules.offices_per_assembly,
        "petition_assemblies": petition_needs(ahead),
        "petitions": list_petitions(ahead, now=now),
        "plenaries": [
            {"seq": seq, "time": time, "starts": starts} for seq, time, starts, _ in ahead.offices.plenaries
        ],
        "sittings": list_plenaries(ahead, now=now),
        "recall_votes": list_recall_votes(ahead, now=now),
        "withdrawn": [{"resolution": r, "seq": s} for r, s in sorted(ahead.offices.withdrawn.items())],
        "members": sorted(ahead.member_assemblies),
        "resolutions": sorted(ahead.proposals)[-MAX_CHOICES:],
        "cited": {
            "credentials": sorted(
                {h.credential[:2] for terms in ahead.offices.terms.values() for t in terms for h in t.holders}
            ),
        },
    }


def _below(members: list[str]) -> tuple[AssemblyState, ...]:
    """The states of the member records this node holds that are federations themselves (a level below)."""
    found = []
    for log in models.Record.objects.filter(log__in=members).values_list("log", flat=True):
        lower = read_state(log, lambda state: state if state.rules.federation is not None else None)
        if lower is not None:
            found.append(lower)
    return tuple(found)


def get_federation_offices(log: str, *, now: int) -> dict[str, Any] | None:
    """A federation's offices (the running term, whose turn is next, the past terms), its petitions,
    the plenaries and withdrawals they brought about, and who held its offices per assembly and per
    person (with the federations below it this node holds); None for an assembly's record."""
    found = read_state(log, lambda state: _federation_view(state, now=now))
    if found is None:
        return None
    below = _below(found["members"])
    found["concentration"] = read_state(
        log, lambda state: get_office_concentration(at_moment(state, now=now), now=now, below=below)
    )
    found["names"] = _names(found["members"])
    return found


# --- a home assembly's view of its federations ---------------------------------------------------------


MAX_CHOICES = 20
CONVENE_IN_DAYS = (7, 14, 30)


def _new_petitions(view: dict[str, Any], *, taken: set[str], now: int) -> dict[str, list[dict[str, Any]]]:
    """The petitions a home assembly may propose to back, each with its question (the mandate's):
    a plenary at noon (UTC) 7, 14 or 30 days ahead, suspending each office's holder now, withdrawing
    one of the federation's latest decisions. Those already open or stated are left out."""
    noon = now - now % DAY_MS + DAY_MS // 2
    convene = [{"starts": noon + days * DAY_MS} for days in CONVENE_IN_DAYS]
    suspend = [
        {"office": o["office"], "holder": o["current"]["holder"]}
        for o in view["offices"]
        if o["current"] and o["current"]["holder"]
    ]
    withdraw = [{"resolution": r} for r in reversed(view["resolutions"])]
    found: dict[str, list[dict[str, Any]]] = {}
    for action, choices in ((CONVENE, convene), (SUSPEND, suspend), (WITHDRAW, withdraw)):
        found[action] = [
            {**c, "question": q}
            for c in choices
            if (q := petition_question(action, petition_target(action, **c))) not in taken
        ]
    return found


def _named_federations(state: AssemblyState) -> set[str]:
    """Every federation log id the home record names: in a cargo's powers, mandates and credentials."""
    named = {b for b, _ in state.mandates}
    for cargo in state.cargos.values():
        for power in cargo.powers:
            if power.startswith(REPRESENT_IN):
                named.add(power.removeprefix(REPRESENT_IN))
            elif power.startswith(OFFICE_IN):
                named.add(power.removeprefix(OFFICE_IN).partition(":")[0])
    named |= {c.federation for c in state.credentials.values()}
    named |= {f for _, f, _, _ in state.offices.credentials.values()}
    named |= {f for f, _, _ in state.offices.backings.values()}
    return {n for n in named if is_hex(n, HEX_KEY_LENGTH) and n != state.log}


# A node holding this many records or fewer is searched for every federation the assembly is a member
# of; a larger one shows the federations the assembly's own record names.
SEARCH_ALL_UP_TO = 64


def _federations_of(log: str, named: set[str]) -> list[str]:
    held = list(models.Record.objects.exclude(log=log).values_list("log", flat=True)[: SEARCH_ALL_UP_TO + 1])
    candidates = set(held) if len(held) <= SEARCH_ALL_UP_TO else set()
    candidates |= set(models.Record.objects.filter(log__in=named).values_list("log", flat=True))
    return sorted(
        f for f in candidates if read_state(f, lambda s: s.charter is not None and log in s.member_assemblies)
    )


def get_home_federation_offices(log: str, *, key: str, now: int) -> list[dict[str, Any]]:
    """For each federation this node holds whose member this assembly is: its offices and turns (ours
    marked), its petitions, and what the reader (`key`) may do about them now at home: issue an office
    credential, state a petition decision; and which home entries are still to be cited into it."""
    named = read_state(log, _named_federations)
    found = []
    for federation in _federations_of(log, named):
        view = read_state(federation, lambda state: _federation_view(state, now=now))
        if view is None:
            continue
        home = read_state(log, partial(_home_part, view=view, key=key, now=now))
        found.append({**view, **home, "name": _names([federation]).get(federation, "")})
    return found


def _home_part(state: AssemblyState, *, view: dict[str, Any], key: str, now: int) -> dict[str, Any]:
    federation = view["log"]
    allows = acts_allowed(state, key=key, now=now)
    member = state.key_owner.get(key, "")
    accredit = []
    for office in view["offices"]:
        until = holding_end(state, member, office_in(federation, office["office"]), now=now) if member else 0
        probe = OfficeAccredited(federation=federation, office=office["office"], until=until)
        if until and allows(probe):
            accredit.append({"office": office["office"], "until": until})
    cited = {tuple(c) for c in view["cited"]["credentials"]}
    credentials = [
        {
            "seq": seq,
            "member": m,
            "office": o,
            "until": u,
            "cited": (state.log, seq) in cited,
            "runs": u > now,
        }
        for seq, (m, f, o, u) in sorted(state.offices.credentials.items(), reverse=True)
        if f == federation
    ]
    petitions = {p["question"]: p for p in view["petitions"]}
    backings = []
    for seq, (f, question, decision) in sorted(state.offices.backings.items(), reverse=True):
        if f != federation:
            continue
        petition = petitions.get(question)
        backers = petition["backers"] if petition is not None else []
        complete = bool(petition and petition["completed_seq"])
        backings.append(
            {
                "seq": seq,
                "question": question,
                "decision": decision,
                "cited": state.log in backers,
                "complete": complete,
            }
        )
    stated: set[str] = {str(b["question"]) for b in backings}
    decided = []
    for (body, question), mandate in sorted(state.mandates.items()):
        fields = petition_fields(question)
        if body != federation or fields is None or question in stated:
            continue
        if mandate.position.strip().lower() == YES and allows(
            PetitionBacked(federation=federation, **fields)
        ):
            decided.append({"question": question, "fields": fields})
    joinable = [
        p
        for p in view["petitions"]
        if not p["completed_seq"] and state.log not in p["backers"] and p["question"] not in stated
    ]
    taken = {p["question"] for p in view["petitions"]}
    our_turns = {
        o["office"]: [
            t for t in ([o["current"]] if o["current"] else []) + o["next"] if t["assembly"] == state.log
        ]
        for o in view["offices"]
    }
    return {
        "new_petitions": _new_petitions(view, taken=taken | stated, now=now),
        "accredit": accredit,
        "credentials": credentials,
        "backings": backings,
        "decided": decided,
        "joinable": joinable,
        "our_turns": our_turns,
        "is_member": bool(member),
        "uncited_credentials": [c for c in credentials if not c["cited"] and c["runs"]],
    }
