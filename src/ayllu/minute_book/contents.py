"""What a minute book holds for one reader: each meeting's minutes, as the minutes page reads them, and
the record's head; words shown through `shown_to` exactly as the pages show them.

The reader is a class, not a person: a member of the assembly reads every word but confidential ones;
anyone else reads only words signed in public bodies (web/reader.py says the same for pages). Nothing
here reads the clock or the node: the same head, language, reader class and address give the same book.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.urls import reverse
from django.utils.translation import gettext

from ayllu.core.assembly.rule_errors import UnknownMeeting
from ayllu.core.assembly.words import shown_to
from ayllu.effect_words import proposals_in_words
from ayllu.queries import assembly as q
from ayllu.queries import pages
from ayllu.queries.minute_book import BookHead, get_book_head, list_meeting_ids
from ayllu.queries.pages import Person


class Withheld(str):
    """Words the reader may not read, as the book prints them: the "(members only)" mark."""

    __slots__ = ()
    members_only = True


@dataclass(frozen=True, slots=True)
class Acta:
    """One meeting's minutes in the book: its number in the book, the minutes as the reader may read
    them (`queries.assembly.minutes_read`, shown), the address that checks each decision's
    inclusion proof, by question id, and what each proposal changes in plain words, by proposal id (the
    minutes page's lines)."""

    number: int
    minutes: q.MinutesRead
    proofs: dict[int, str]
    effects: dict[int, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Book:
    """A minute book: the assembly, the head it was made at, the reader class and its actas."""

    log: str
    name: str
    head: BookHead
    members_copy: bool
    language: str
    actas: tuple[Acta, ...]
    people: Mapping[str, Person]
    whole: bool


def hidden_for(log: str, *, members: bool) -> frozenset[int]:
    """The seqs of the acts whose words the reader class may not read (web/reader.py `hidden_from`)."""
    members_only = pages.get_members_only(log)
    return members_only.confidential if members else members_only.seqs


def _without_ballots(minutes: q.MinutesRead) -> q.MinutesRead:
    """The minutes without each member's ballot: the book prints each question's counts and outcome,
    never who chose what, and a meeting of 300 with 30 decisions holds 9,000 ballots that `shown_to`
    would otherwise walk one by one (a fifth of the read). A copy: the minutes are not changed."""
    proposals = tuple(
        replace(proposal, questions=tuple(replace(question, ballots={}) for question in proposal.questions))
        for proposal in minutes.proposals
    )
    return replace(minutes, proposals=proposals)


def read_book(log: str, *, meeting: int | None, members: bool, address: str, language: str) -> Book:
    """The book of every meeting (or of `meeting` alone) for a reader class, in the active language.

    `address` is the scheme and host the QR codes point to (the node's, as its readers reach it). Call
    inside `one_head()` so every read sees the same head; raise the queries' errors for an unknown
    record or meeting.
    """
    assembly = q.get_assembly(log)
    ids = list_meeting_ids(log)
    numbers = {meeting_id: n for n, meeting_id in enumerate(ids, start=1)}
    if meeting is not None and meeting not in numbers:
        raise UnknownMeeting(meeting=meeting)
    chosen = ids if meeting is None else [meeting]
    hidden = hidden_for(log, members=members)
    withheld = Withheld(gettext("(members only)"))
    head = get_book_head(log)
    people = pages.get_people(log, outsider=not members)
    # What the minutes page passes for its effect lines, read at the head's time, not the clock's: the
    # same head gives the same words on every node.
    effect_context = {"hidden": hidden, "people": people, "now": head.time}
    actas = []
    for meeting_id in chosen:
        minutes = shown_to(
            _without_ballots(q.get_meeting_minutes(log, meeting_id)), hidden, withheld=withheld
        )
        proofs = {
            question.id: address
            + reverse("web:record_decision", kwargs={"log": log, "question_id": question.id})
            for proposal in minutes.proposals
            for question in proposal.questions
            if question.outcome is not None
        }
        effects = proposals_in_words(log, [(p.id, p.matter) for p in minutes.proposals], effect_context)
        actas.append(Acta(number=numbers[meeting_id], minutes=minutes, proofs=proofs, effects=effects))
    return Book(
        log=log,
        name=assembly.name,
        head=head,
        members_copy=members,
        language=language,
        actas=tuple(actas),
        people=people,
        whole=meeting is None,
    )
