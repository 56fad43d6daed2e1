"""Reads of federations: a federation's member assemblies and their delegates, its resolutions and their
ratification (docs/federation-bodies.md)."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial

from django.db import connection

from ayllu.core.assembly.acts import WORDS_NOT_HELD
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.assembly.words import ReadModel, Said, fields_of, said, shown_to
from ayllu.core.errors import DomainError
from ayllu.core.federations.ratification import (
    AwaitedAnswer,
    decided_answer,
    list_awaited_answers,
    list_resolutions,
    share_text,
)
from ayllu.core.federations.recall_cited import list_recalls_cited
from ayllu.core.federations.seats import list_member_assemblies
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.record import RULE_VIS, Body, parse_entry
from ayllu.core.meetings.minutes import proposal_title
from ayllu.queries.citations import get_citation
from ayllu.queries.pages import get_members_only
from ayllu.queries.read_types import Words
from ayllu.queries.replayed import read_memo, read_state
from ayllu.storage import models, reads
from ayllu.storage.counters import read_records_version


@dataclass(frozen=True, slots=True)
class SeatRead(ReadModel):
    """A delegate's seat: from `time` until `until`, or `ended` when a later seat replaced it."""

    key: str
    seq: int
    time: int
    until: int
    ended: int
    ended_by: int
    stands: bool
    credential_log: str
    credential_seq: int


@dataclass(frozen=True, slots=True)
class MemberAssemblyRead(ReadModel):
    """A member assembly, its name where this node holds its record ("" where not), and its seats."""

    assembly: str
    name: str
    held: bool
    founding: bool
    seq: int
    standing: int
    seats: tuple[SeatRead, ...]


@dataclass(frozen=True, slots=True)
class RatificationAnswerRead(ReadModel):
    """A member assembly's answer to a resolution, cited from its record's entry `cited_seq`."""

    assembly: str
    name: str
    answer: str
    households: int
    weight: int
    seq: int
    time: int
    cited_seq: int


@dataclass(frozen=True, slots=True)
class ResolutionRead(ReadModel):
    """A resolution and its ratification so far. `title` is its proposal's words: a `Said` until
    `shown_to`, then the title or None for a reader who may not read it (`members_only` says so)."""

    resolution: int  # the id of the proposal that adopted it
    seq: int
    time: int
    rule: str  # assemblies, households_capped or double_majority
    share: str  # the share it needs, exact ("num/den")
    households_share: str
    cap: int
    blocking: int
    deadline: int
    outcome: str  # pending, ratified, rejected or expired
    members: int
    yes: int
    no: int
    yes_weight: int
    no_weight: int
    base: int
    reached: str
    answers: tuple[RatificationAnswerRead, ...]
    waiting: tuple[str, ...]
    title: Words = None
    members_only: bool = False


@dataclass(frozen=True, slots=True)
class RatificationRulesRead(ReadModel):
    rule: str
    share: str
    cap: int
    households_share: str
    blocking: int


@dataclass(frozen=True, slots=True)
class RecallRead(ReadModel):
    """A recall cited into the federation: which assembly recalled which delegate, from when (`at`)."""

    assembly: str
    name: str
    key: str
    credential_seq: int
    at: int
    seq: int  # the federation's entry that cited it
    withdrawal_seq: int = 0  # the home record's entry it cites (`delegate.withdrawn`; 0: not readable here)
    cited_time: int = 0  # when the federation's entry cited it (0: not readable here)


@dataclass(frozen=True, slots=True)
class FederationRead(ReadModel):
    """A federation's rules, member assemblies with their seats, resolutions and the recalls cited in."""

    delegates_per_assembly: int
    joining: str
    ratification: RatificationRulesRead
    assemblies: tuple[MemberAssemblyRead, ...]
    resolutions: tuple[ResolutionRead, ...]
    recalls: tuple[RecallRead, ...]


def _resolutions(state: AssemblyState, *, now: int) -> tuple[ResolutionRead, ...]:
    """The federation's resolutions at `now` (`list_resolutions`), each with its title: the words of the
    federation's proposal that adopted it, said by the act that wrote them (a `Said` of the federation's
    record: shown as that record's rules say). The answering assemblies' names are "" (`_named` sets
    them: they come from the records this node holds, not from this one)."""
    proposals = state.proposals
    return tuple(
        ResolutionRead(
            **{
                **r,
                "answers": tuple(RatificationAnswerRead(**a, name="") for a in r["answers"]),
                "waiting": tuple(r["waiting"]),
            },
            title=proposal_title(proposals[r["resolution"]]),
        )
        for r in list_resolutions(state, now=now)
    )


def _named(resolution: ResolutionRead, names: dict[str, str]) -> ResolutionRead:
    """`resolution` with each answering assembly's name where this node holds its record."""
    answers = tuple(replace(a, name=names.get(a.assembly, "")) for a in resolution.answers)
    return replace(resolution, answers=answers)


def get_federation(log: str, *, now: int) -> FederationRead | None:
    """A federation's rules and member assemblies with their seats at `now`, each assembly's name where
    this node holds its record ("" where it does not); None for an assembly's record."""

    def read(state: AssemblyState) -> FederationRead | None:
        rules = state.charter.federation if state.charter is not None else None
        if rules is None:
            return None
        return FederationRead(
            delegates_per_assembly=rules.delegates_per_assembly,
            joining=rules.joining,
            ratification=RatificationRulesRead(
                rule=rules.ratification.rule,
                share=share_text(rules.ratification.share),
                cap=rules.ratification.cap,
                households_share=share_text(rules.ratification.households_share),
                blocking=rules.ratification.blocking,
            ),
            assemblies=tuple(
                MemberAssemblyRead(
                    **{**a, "seats": tuple(SeatRead(**s) for s in a["seats"])}, name="", held=False
                )
                for a in list_member_assemblies(state, now=now)
            ),
            resolutions=_resolutions(state, now=now),
            recalls=tuple(RecallRead(**r, name="") for r in list_recalls_cited(state)),
        )

    found = read_state(log, read)
    if found is None:
        return None
    logs = [a.assembly for a in found.assemblies]
    names = dict(models.Record.objects.filter(log__in=logs).values_list("log", "name"))
    withdrawals = _withdrawals_cited(log, [r.seq for r in found.recalls])
    return replace(
        found,
        assemblies=tuple(
            replace(a, name=names.get(a.assembly, ""), held=a.assembly in names) for a in found.assemblies
        ),
        resolutions=tuple(_named(r, names) for r in found.resolutions),
        recalls=tuple(
            replace(
                r,
                name=names.get(r.assembly, ""),
                withdrawal_seq=withdrawals.get(r.seq, (0, 0))[0],
                cited_time=withdrawals.get(r.seq, (0, 0))[1],
            )
            for r in found.recalls
        ),
    )


def _withdrawals_cited(log: str, seqs: list[int]) -> dict[int, tuple[int, int]]:
    """By the seq of each recall cited into federation `log` (`federation.recall_cited`), the seq of the
    home record's entry it cites (the `delegate.withdrawn`), read from the citing entry's public body,
    and the citing entry's time."""
    if not seqs:
        return {}
    record = reads.get_record(log)
    found: dict[int, tuple[int, int]] = {}
    headers = models.Entry.objects.filter(record=record, seq__in=seqs).values_list("seq", "header")
    for seq, header in headers:
        entry = parse_entry(bytes(header))
        hash, vis = entry.act.body_key()
        body = reads.body_of(record, hash, vis=vis)
        cites = body.content().get("cites") if isinstance(body, Body) else None
        first = cites[0] if isinstance(cites, list) and cites and isinstance(cites[0], dict) else {}
        if isinstance(first.get("seq"), int):
            found[seq] = (first["seq"], entry.time)
    return found


@dataclass(frozen=True, slots=True)
class ResolutionAnswersRead(ReadModel):
    """One resolution of a federation with every member assembly's answer counted so far (named), and
    the member assemblies it still waits for, each as an answer of none (`answer` "", no households)."""

    resolution: ResolutionRead
    waiting: tuple[RatificationAnswerRead, ...]


def get_resolution_answers(log: str, resolution: int, *, now: int) -> ResolutionAnswersRead | None:
    """Resolution `resolution` of federation `log` at `now`, with every answer counted and every member
    assembly still awaited, each named where this node holds its record; None when there is no such
    resolution (or `log` is no federation)."""

    def read(state: AssemblyState) -> ResolutionRead | None:
        if state.charter is None or state.charter.federation is None or resolution not in state.resolutions:
            return None
        return next((r for r in _resolutions(state, now=now) if r.resolution == resolution), None)

    found = read_state(log, read)
    if found is None:
        return None
    names = get_record_names([*(a.assembly for a in found.answers), *found.waiting])
    return ResolutionAnswersRead(
        resolution=_named(found, names),
        waiting=tuple(
            RatificationAnswerRead(
                assembly=a,
                name=names.get(a, ""),
                answer="",
                households=0,
                weight=0,
                seq=0,
                time=0,
                cited_seq=0,
            )
            for a in found.waiting
        ),
    )


@dataclass(frozen=True, slots=True)
class _Decision:
    """A home's ratification decision: its proposal, its answer and households once decided (None
    before), and the seq of `ratification.recorded` that recorded it (0: not yet)."""

    proposal: int
    decided: tuple[str, int] | None
    recorded: int


def _read_home(state: AssemblyState) -> tuple[set[str], dict[tuple[str, int], _Decision]]:
    """The federations an assembly's record names (its credentials, its ratification decisions), and
    its latest ratification decision on each (federation, resolution)."""
    named = {c.federation for c in state.credentials.values()}
    decisions: dict[tuple[str, int], _Decision] = {}
    for p in sorted(state.proposals.values(), key=lambda p: p.id):
        if p.matter != "ratification" or p.status == "withdrawn":
            continue
        key = (str(p.effect["federation"]), int(p.effect["resolution"]))
        recorded = state.ratifications_recorded.get(p.id, 0)
        decisions[key] = _Decision(proposal=p.id, decided=decided_answer(state, p), recorded=recorded)
        named.add(key[0])
    return named, decisions


def get_record_names(logs: Iterable[str]) -> dict[str, str]:
    """The names of those records this node holds (a record not held is left out)."""
    return dict(models.Record.objects.filter(log__in=set(logs) - {""}).values_list("log", "name"))


def get_federations_token(log: str) -> str:
    """What changes when a federation assembly `log` names grows (the home page's cache key)."""
    named, _ = read_state(log, _read_home)
    if not named:
        return ""
    heads = models.Record.objects.filter(log__in=named).order_by("log").values_list("log", "head_seq")
    return ";".join(f"{fed}:{seq}" for fed, seq in heads)


def _read_elsewhere(state: AssemblyState) -> list[str]:
    rules = state.charter.federation if state.charter is not None else None
    higher = {spec.represents for spec in rules.offices if spec.represents} if rules is not None else set()
    return sorted(set(state.member_assemblies) | higher)


def get_records_version() -> int:
    """The node's records version (`storage.counters`): it changes with every write of any record held
    here, so anything read of many records' heads stays current while it is the same."""
    return read_records_version()


def get_federation_page_token(log: str, *, home: str = "") -> str:
    """What a federation's home page reads of other records held here (its cache key): for each member
    assembly, each federation its offices represent it in, and the reader's home assembly (`home`), whether
    this node holds the record, its head and its latest checkpoint (the page's forms cite their entries).
    One query, written out: built by the ORM it cost more than the rest of a 304."""
    logs = sorted({*read_memo(log, "federation_page_reads", _read_elsewhere), *([home] if home else [])})
    if not logs:
        return ""
    record, checkpoint = models.Record._meta.db_table, models.Checkpoint._meta.db_table
    # the table names are the models' own, and every log id is a parameter
    marks = ", ".join(["%s"] * len(logs))
    sql = (
        f"SELECT r.log, r.head_seq, (SELECT MAX(c.size) FROM {checkpoint} c WHERE c.record_id = r.id)"  # noqa: S608
        f" FROM {record} r WHERE r.log IN ({marks}) ORDER BY r.log"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, logs)
        rows = cursor.fetchall()
    text = ";".join(f"{held}:{seq}:{covered or 0}" for held, seq, covered in rows)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class RatificationReportRead(ReadModel):
    """The body of `ratification.recorded`: the home's decided answer on a federation's resolution."""

    federation: str
    resolution: int
    proposal: int
    answer: str
    households: int


@dataclass(frozen=True, slots=True)
class OurResolutionRead(ResolutionRead):
    """A federation's resolution as a member assembly sees it, with its next step: `propose` (no
    decision yet), `deciding` (`proposal` under way), `record` (decided: `report` is the body to
    record), `cite` (recorded at `recorded`, not yet counted: `cite_body` is the federation act that
    cites it, "" while no checkpoint kept here covers it), `counted` (`our_answer` counted)."""

    step: str = ""
    our_answer: str = ""
    proposal: int = 0
    report: RatificationReportRead | None = None
    recorded: int = 0
    cite_body: str = ""


@dataclass(frozen=True, slots=True)
class OurFederationRead(ReadModel):
    """A federation held here that a member assembly's record names, and its resolutions."""

    log: str
    name: str
    resolutions: tuple[OurResolutionRead, ...]


@dataclass(frozen=True, slots=True)
class RatificationDueRead(ReadModel):
    """A pending resolution waiting for the assembly to act (decide, record or cite its answer)."""

    federation: str
    name: str
    resolution: int
    title: Words = None


def list_our_federations(log: str, *, now: int) -> list[OurFederationRead]:
    """The federations held on this node that assembly `log` is a member of and its record names (by a
    credential its delegates issued or a ratification decision), each with its resolutions and this
    assembly's next step on each (`OurResolutionRead`)."""
    named, decisions = read_state(log, _read_home)
    held = get_record_names(named - {log})
    out = []
    for federation in sorted(held):

        def read(state: AssemblyState) -> tuple[ResolutionRead, ...] | None:
            if (
                state.charter is None
                or state.charter.federation is None
                or log not in state.member_assemblies
            ):
                return None
            return tuple(
                r for r in _resolutions(state, now=now) if log in state.resolutions[r.resolution].members
            )

        resolutions = read_state(federation, read)
        if resolutions is None:
            continue
        names = get_record_names(a.assembly for r in resolutions for a in r.answers)
        ours = tuple(
            _our_step(
                _named(r, names),
                decisions.get((federation, r.resolution)),
                federation=federation,
                log=log,
            )
            for r in resolutions
        )
        out.append(OurFederationRead(log=federation, name=held[federation], resolutions=ours))
    return out


@dataclass(frozen=True, slots=True)
class UnheldFederationRead(ReadModel):
    """A federation an assembly's record names whose record this node does not hold: its log id, and
    what the assembly's own record says of it: the latest credential its delegates issued for it (entry
    `credential_seq`, running until `credential_until`; 0: none) and its latest ratification decision
    on one of its resolutions (proposal `decision` on resolution `resolution`; 0: none)."""

    log: str
    credential_seq: int
    credential_until: int
    decision: int
    resolution: int


def _named_facts(state: AssemblyState) -> dict[str, UnheldFederationRead]:
    """Every federation the record names (`_read_home`), with its latest credential and decision."""
    named, decisions = _read_home(state)
    facts = {
        f: UnheldFederationRead(log=f, credential_seq=0, credential_until=0, decision=0, resolution=0)
        for f in named - {state.log}
    }
    for c in sorted(state.credentials.values(), key=lambda c: c.seq):
        if c.federation in facts:
            facts[c.federation] = replace(facts[c.federation], credential_seq=c.seq, credential_until=c.until)
    for (federation, resolution), decision in sorted(decisions.items(), key=lambda d: d[1].proposal):
        if federation in facts:
            facts[federation] = replace(facts[federation], decision=decision.proposal, resolution=resolution)
    return facts


def list_unheld_federations(log: str) -> list[UnheldFederationRead]:
    """The federations assembly `log`'s record names (a credential its delegates issued for one, a
    ratification decision on one of its resolutions) whose records this node does not hold, so that
    `list_our_federations` cannot show them: what the assembly's own record says of each."""
    facts = read_state(log, _named_facts)
    held = get_record_names(facts)
    return [facts[f] for f in sorted(facts) if f not in held]


def list_ratifications_due(federations: Iterable[OurFederationRead]) -> list[RatificationDueRead]:
    """The pending resolutions that wait for the assembly to act (decide, record, or cite its answer):
    what "waiting for your answer" counts beside the assembly's own."""
    return [
        RatificationDueRead(federation=f.log, name=f.name, resolution=r.resolution, title=r.title)
        for f in federations
        for r in f.resolutions
        if r.outcome == "pending" and r.step in ("propose", "record", "cite")
    ]


def list_federations_awaiting(log: str, *, now: int) -> list[AwaitedAnswer]:
    """The resolutions still awaiting assembly `log`'s answer at `now`, read from the records of the
    federations its record names (as `list_our_federations`) that this node holds."""
    named, _ = read_state(log, _read_home)
    held = models.Record.objects.filter(log__in=named - {log}).order_by("log").values_list("log", flat=True)
    found: list[AwaitedAnswer] = []
    for federation in held:
        found += read_state(federation, lambda state: list_awaited_answers(state, assembly=log, now=now))
    return found


def get_ratification_to_cite(log: str, *, seq: int, resolution: int) -> str:
    """The body of `federation.ratified` citing entry `seq` of `log` (its recorded ratification), as
    canonical JSON; "" when no checkpoint kept here covers the entry yet (the node sealing the record
    signs one as it appends the entry)."""
    try:
        citation = get_citation(log, seq=seq)
    except DomainError:
        return ""
    body = reads.body_of(reads.get_record(log), citation.header.act.body, vis=RULE_VIS)
    if not isinstance(body, Body):
        return ""
    content = {"resolution": resolution, "cites": [citation.as_json()], "report": body.content()}
    return canonical_bytes(content).decode("utf-8")


def _our_step(
    resolution: ResolutionRead, decision: _Decision | None, *, federation: str, log: str
) -> OurResolutionRead:
    ours = fields_of(resolution)
    counted = next((a for a in resolution.answers if a.assembly == log), None)
    if counted is not None:
        return OurResolutionRead(**ours, step="counted", our_answer=counted.answer)
    if decision is None:
        return OurResolutionRead(**ours, step="propose")
    if decision.decided is None:
        return OurResolutionRead(**ours, step="deciding", proposal=decision.proposal)
    answer, households = decision.decided
    if not decision.recorded:
        report = RatificationReportRead(
            federation=federation,
            resolution=resolution.resolution,
            proposal=decision.proposal,
            answer=answer,
            households=households,
        )
        return OurResolutionRead(
            **ours, step="record", our_answer=answer, proposal=decision.proposal, report=report
        )
    cite = get_ratification_to_cite(log, seq=decision.recorded, resolution=resolution.resolution)
    return OurResolutionRead(
        **ours, step="cite", our_answer=answer, recorded=decision.recorded, cite_body=cite
    )


def _wanted_by(state: AssemblyState) -> set[str]:
    """The records one held record needs beside it: the federations it names (by a credential its
    delegates issued or a ratification decision: an assembly, or a federation that is a member one level
    up) and the records its acts cite (a federation: its member assemblies' records, whose credentials,
    mandates, recalls and ratifications it cites; `record.cited` entries)."""
    named, _ = _read_home(state)
    members = set(state.member_assemblies)  # every seat, vote, recall, ratification cites one of them
    return named | members | {cited[0] for citations in state.cited.values() for cited in citations}


def list_records_to_follow() -> list[str]:
    """The records this node should follow and does not hold: the federations of the assemblies it holds,
    and the records those federations cite ("each member node keeps the records it cites")."""
    held = set(models.Record.objects.values_list("log", flat=True))
    wanted: set[str] = set()
    for log in held:
        wanted |= read_state(log, _wanted_by)
    return sorted(wanted - held)


@dataclass(frozen=True, slots=True)
class DelegateRead(ReadModel):
    """A person the federation's record names by key (a delegate's seat, an office holder, a recalled
    delegate), as their home assembly's record held here names them to anyone: their chosen name, else
    their household's ("" where only its members may read it)."""

    key: str
    assembly: str
    assembly_name: str
    name: str


def _keys_named(state: AssemblyState) -> set[tuple[str, str]]:
    """Every (key, home assembly) the federation's record names: seats, office holders, recalls."""
    named = {(s.key, s.assembly) for m in state.member_assemblies.values() for s in m.seats}
    named |= {
        (h.key, h.credential[0]) for terms in state.offices.terms.values() for t in terms for h in t.holders
    }
    return named | {(r["key"], r["assembly"]) for r in list_recalls_cited(state)}


def list_delegates(log: str) -> dict[str, DelegateRead]:
    """By key, the people federation `log` names whose home assembly's record this node holds."""
    named = read_state(log, _keys_named)
    homes: dict[str, set[str]] = {}
    for key, assembly in named:
        homes.setdefault(assembly, set()).add(key)
    names = get_record_names(homes)
    found: dict[str, DelegateRead] = {}
    for home in sorted(names):
        visibility = get_members_only(home)
        words = read_state(
            home,
            partial(_named_at_home, keys=frozenset(homes[home]), unread=visibility.households_of),
        )
        for key, said_name in words.items():
            name = shown_to(said_name, frozenset(visibility.seqs), withheld="")
            found[key] = DelegateRead(key=key, assembly=home, assembly_name=names[home], name=str(name or ""))
    return found


def _named_at_home(
    state: AssemblyState, *, keys: frozenset[str], unread: frozenset[str]
) -> dict[str, Said | str]:
    """The words naming each of `keys` in this home record: the member's chosen name, else their
    household's (a `Said`; its id where no act named it) unless it was written where not everyone may
    read it (`unread`); "" for a key no member holds."""
    out: dict[str, Said | str] = {}
    for key in keys:
        member = state.members.get(state.key_owner.get(key, ""))
        chosen = state.member_names.get(member.id) if member is not None else None
        household = state.household_names.get(member.household) if member is not None else None
        if chosen and chosen[0] != WORDS_NOT_HELD:
            out[key] = said(chosen[0], chosen[1])
        elif member is not None and member.id not in unread:
            # a household no act named is called by its id, as the assembly's own pages call it
            out[key] = said(household[0], household[1]) if household else member.household
        else:
            out[key] = ""
    return out
