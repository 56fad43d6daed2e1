"""The words of the cargo reads a reader may not read: the visibility rule of docs/access-policy.md for
cargos, mandates, delegates' sessions, votes and reports, recall petitions and exemptions (draws
wrap their words in `core.words.Said`: core/draws.py).

Pages and the API call the same functions with `hidden`, the seqs of the entries whose words the reader
may not read (members-only ones for an outsider or a member of another assembly, confidential ones for
everybody). An object whose words came from such an entry keeps what shows it exists (its seq, author,
times, counts) and its words become `withheld` (None for the API, the translated "(members only)" mark
for pages), with `"members_only": True`. Every function returns copies; the shared answers it is given
are never changed.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, cast

MEMBERS_ONLY = "members_only"
T = TypeVar("T")


def hide_words(
    item: dict[str, Any],
    seqs: Iterable[int],
    hidden: frozenset[int],
    *,
    fields: tuple[str, ...],
    withheld: Any = None,
) -> dict[str, Any]:
    """`item` with `fields` set to `withheld` when any of `seqs` (where its words came from) is hidden."""
    if not any(seq in hidden for seq in seqs if seq):
        return item
    return {**item, **dict.fromkeys(fields, withheld), MEMBERS_ONLY: True}


def hide_in_mandates(
    listing: dict[str, Any], hidden: frozenset[int], *, withheld: Any = None
) -> dict[str, Any]:
    """Mandates (words from the deciding proposal) and delegates' requests for one (from the request)."""
    return {
        **listing,
        "mandates": [hide_in_mandate(m, hidden, withheld=withheld) for m in listing["mandates"]],
        "requests": [hide_in_request(r, hidden, withheld=withheld) for r in listing["requests"]],
    }


def hide_in_mandate(
    mandate: dict[str, Any], hidden: frozenset[int], *, withheld: Any = None
) -> dict[str, Any]:
    """A mandate's question and position are the words of the proposal that decided it."""
    return hide_words(
        mandate, [mandate["proposal"]], hidden, fields=("question", "position"), withheld=withheld
    )


def hide_in_request(
    request: dict[str, Any], hidden: frozenset[int], *, withheld: Any = None
) -> dict[str, Any]:
    """A delegate's request for a mandate: its question and text are the words of `mandate.requested`."""
    return hide_words(request, [request["seq"]], hidden, fields=("question", "text"), withheld=withheld)


def hide_in_session(
    session: dict[str, Any], hidden: frozenset[int], *, withheld: Any = None
) -> dict[str, Any]:
    """A session's name is the words of `delegate.session_held`; its report's text, of the report."""
    shown = hide_words(session, [session["seq"]], hidden, fields=("session",), withheld=withheld)
    if session.get("report") and session["report"] in hidden:
        shown = {**shown, "report_text": withheld, "report_members_only": True}
    return shown


def hide_in_delegate_vote(
    vote: dict[str, Any], hidden: frozenset[int], *, withheld: Any = None
) -> dict[str, Any]:
    """A delegate's vote (cast or reported): the session, the question and the choice are its words."""
    return hide_words(
        vote, [vote["seq"]], hidden, fields=("session", "question", "choice"), withheld=withheld
    )


def hide_in_recall(
    petition: dict[str, Any], hidden: frozenset[int], *, withheld: Any = None
) -> dict[str, Any]:
    """A recall petition's reason is the words of `recall.petitioned` (its id is that entry's seq)."""
    return hide_words(petition, [petition["petition"]], hidden, fields=("reason",), withheld=withheld)


def hide_in_exemption(
    exemption: dict[str, Any], hidden: frozenset[int], *, withheld: Any = None
) -> dict[str, Any]:
    """An exemption's reason is the words of the proposal that granted it (`proposal`, when known)."""
    seqs = [exemption.get("proposal", 0), exemption.get("seq", 0)]
    return hide_words(exemption, seqs, hidden, fields=("reason",), withheld=withheld)


# Households: a household's name is the words of the act that first wrote it (an application, a
# founding). A reader who may not read that act for any of its members may not read the name either:
# the cargo reads name households everywhere (holdings, turn order, standings, roster, swaps,
# exemptions, concentration per household), so the name is replaced wherever it appears.
HOUSEHOLD_KEYS = frozenset({"household", "stands_for", "other"})


def secret_households(
    households: Mapping[str, Iterable[str]], hidden_members: Iterable[str]
) -> frozenset[str]:
    """The households whose name the reader may not read: each of its members had it written in an act
    hidden from the reader (`hidden_members`, member ids)."""
    hidden = frozenset(hidden_members)
    return frozenset(h for h, members in households.items() if (found := set(members)) and found <= hidden)


def hide_households(data: T, secret: frozenset[str], *, withheld: Any = None) -> T:
    """`data` (a cargo read) with every secret household name replaced by `withheld`: under the keys
    "household", "stands_for" and "other", and as the `id` of a concentration share per household."""
    return data if not secret else cast(T, _hide_households(data, secret, withheld))


def _hide_households(data: Any, secret: frozenset[str], withheld: Any) -> Any:
    if isinstance(data, list):
        return [_hide_households(item, secret, withheld) for item in data]
    if not isinstance(data, dict):
        return data
    shown = {}
    for key, value in data.items():
        if key in HOUSEHOLD_KEYS and isinstance(value, str) and value in secret:
            shown[key] = withheld
        else:
            shown[key] = _hide_households(value, secret, withheld)
    if data.get("unit") == "household" and isinstance(data.get("shares"), list):
        shown["shares"] = [{**s, "id": withheld} if s.get("id") in secret else s for s in shown["shares"]]
    return shown
