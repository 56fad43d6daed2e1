"""What a page shows of the record's words to the one reading it (core/assembly/words.py,
docs/access-policy.md).

Reads wrap every word in a `Said` naming the acts that wrote it; a view hands a read to `for_reader`
before it reaches a template. A word the reader may not read becomes a `Withheld`: a template prints it as
the translated "(members only)" mark, and tells it apart with `.members_only` (where a list or a mapping
was expected, or inside an attribute or a <title>). A `Said` that skipped this step cannot be printed at
all, so a forgotten field breaks the page instead of leaking.

Who reads what: a logged-in member of this assembly reads every word but confidential ones; anyone else
(nobody logged in, a member of another assembly) reads only words signed in public bodies.
"""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ayllu.core.assembly.words import shown_to
from ayllu.core.errors import DomainError
from ayllu.queries import pages
from ayllu.queries import words as words_queries

from . import auth


class Withheld(SafeString):
    """Words the reader may not read, as the page prints them: the "(members only)" mark, in the
    language of the request (made per read, so the active language is the reader's)."""

    members_only = True

    @classmethod
    def mark(cls) -> "Withheld":
        return cls(
            format_html(
                '<span class="members-only" data-ayllu-members-only>{}</span>', gettext("(members only)")
            )
        )


def hidden_from(log: str, *, me: str) -> frozenset[int]:
    """The seqs of the acts whose words the reader may not read: `me` is their member id here ("" for
    anyone who is not a logged-in member of this assembly)."""
    members_only = pages.get_members_only(log)
    return members_only.confidential if me else members_only.seqs


def hidden_for_request(request: HttpRequest, log: str) -> frozenset[int]:
    """`hidden_from` for the reader of `request` (pages that do not build the assembly context)."""
    current = auth.current_login(request)
    me = pages.get_member_id(log, key=current.key) if current is not None and current.log == log else ""
    return hidden_from(log, me=me)


def for_reader(data: Any, hidden: frozenset[int]) -> Any:
    """`data` (a read) as this reader may see it: words of `hidden` acts become a `Withheld` mark."""
    return shown_to(data, hidden, withheld=Withheld.mark())


def erasable_for(request: HttpRequest, log: str, seqs: Iterable[int], *, now: int) -> frozenset[int]:
    """Which of these entries the reader may propose erasing now (the record, proposal and minutes pages
    link each to that proposal's form): the core's answer for the logged-in key, nothing for anyone
    else."""
    login = auth.current_login(request)
    if login is None or login.log != log:
        return frozenset()
    try:
        return words_queries.list_erasable(log, key=login.key, seqs=seqs, now=now)
    except DomainError:
        return frozenset()
