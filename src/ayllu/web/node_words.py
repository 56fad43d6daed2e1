"""Words for the codes the pages about other nodes show: kinds of evidence and how a sync went.

The core and the follower name these with stable codes (core/ledger/evidence.py, federation/follow.py); an
unknown code falls back to the shared sentences in `ayllu.messages`.
"""

from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .errors import message_for

EVIDENCE_TITLES: dict[str, Promise] = {
    "fork": _("Two histories (fork)"),
    "receipt_fork": _("A receipt broken (fork)"),
    "equivocation": _("Two summaries of one size (equivocation)"),
    "rollback": _("History dropped (rollback)"),
    "checkpoint_mismatch": _("A summary that does not match"),
    "withheld": _("Entries withheld"),
    "sealed_after_move": _("Sealed after the record moved"),
}

# Each sentence names the position the evidence is about with %(seq)s.
EVIDENCE_TEXT: dict[str, Promise] = {
    "fork": _(
        "The node signed two different entries with the same number, %(seq)s: it showed different "
        "histories to different nodes."
    ),
    "receipt_fork": _(
        "The node gave a receipt promising entry %(seq)s, then put a different entry in its place."
    ),
    "equivocation": ngettext_lazy(
        "The node signed two different summaries of the record at the same size, %(seq)s entry. Only "
        "one of them can be true.",
        "The node signed two different summaries of the record at the same size, %(seq)s entries. Only "
        "one of them can be true.",
        "count",
    ),
    "rollback": _(
        "The node signed a shorter record after it had signed a longer one: history from entry %(seq)s "
        "on was dropped."
    ),
    "checkpoint_mismatch": ngettext_lazy(
        "The node signed a summary of %(seq)s entry that does not match the entries it sealed.",
        "The node signed a summary of %(seq)s entries that does not match the entries it sealed.",
        "count",
    ),
    "withheld": _(
        "The node signed that the record reaches entry %(seq)s, but did not hand that entry over when asked."
    ),
    "sealed_after_move": _(
        "The members moved the record to another node at entry %(seq)s, and this node still sealed "
        "another entry in that place."
    ),
}

FOLLOW_PROBLEMS: dict[str, Promise] = {
    "syncing": _("The sync did not finish (it may still be running). Following again resumes it."),
    "no_checkpoint": _("The other node has no signed checkpoint of this record yet."),
    "wrong_log": _("The other node answered with another record."),
    "withheld": _("The other node signed for entries that it does not hand over."),
    "rollback": _(
        "The other node serves a shorter record than it signed before (a rollback, an old backup "
        "restored, or entries a citation names held back). Nothing it served was stored."
    ),
    "equivocation": _(
        "The other node signed two different summaries of the record at the same size. Nothing it "
        "served was stored."
    ),
    "behind_known_checkpoint": _(
        "The other node serves less than a summary this node already knows, so what it serves cannot "
        "be checked against it. Nothing was stored; follow the node that seals the record."
    ),
    "inconsistent_with_known": _(
        "The other node's entries do not match a summary this node already knows (signed or cosigned "
        "before). None of them was stored."
    ),
    "diverged": _("The other node's history differs from the copy verified here. None of it was stored."),
    "checkpoint_mismatch": _("The other node's checkpoint does not match the entries it served."),
    "peer_error": _("The other node could not be reached, or its answer was not readable."),
    "not_the_records_node": _("An entry was sealed by a node that no longer keeps this record."),
    "invalid_evidence": _("The other node sent evidence that does not prove what it claims."),
}


def evidence_title(kind: str) -> str:
    """A short name for a kind of evidence, in the active language."""
    title = EVIDENCE_TITLES.get(kind)
    return kind if title is None else str(title)


def evidence_text(kind: str, *, seq: int) -> str:
    """What a piece of evidence proves, in plain words, in the active language."""
    text = EVIDENCE_TEXT.get(kind)
    if text is None:
        return kind
    # `count` picks the plural form of a sentence that counts entries; `seq` is the number as shown
    return str(text % {"seq": formats.number_format(seq, force_grouping=True), "count": seq})


def follow_problem(code: str, detail: dict[str, Any] | None = None) -> str:
    """Why a sync stopped, in the active language (the record's own error codes from `messages`)."""
    own = FOLLOW_PROBLEMS.get(code)
    return message_for(code, detail or {}) if own is None else str(own)
