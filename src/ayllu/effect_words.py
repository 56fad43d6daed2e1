"""What a proposal changes if it passes, in plain words: one function per effect kind.

The core keeps a proposal's effect as data (core/proposals/effects.py); these sentences are what the
proposal page, its ballot, the minutes page and the minute book show before and after the vote, so every
voter reads the same words about who gets what until when (here, outside `web`, so the minute book,
which the API and the CLI also serve, says them too). A charter amendment shows its diff instead
(charter_editor.charter_changes), and ordinary matters and choices change nothing by themselves.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ayllu.assembly_words import word
from ayllu.cargo_words import cargo_word, power_federation, record_shown
from ayllu.core.assembly.words import shown_to
from ayllu.queries import pages
from ayllu.queries.federations import get_record_names

SHORT_KEY = 8

# The effect's words, the people the page knows (web:assembly_context's `people`) and the claims and
# applicants waiting (queries.pages.list_matter_subjects), which name who a key belongs to.
Effect = Mapping[str, Any]
Known = Mapping[str, Any]


def _who(member: str, known: Known) -> str:
    """A member by household, with the start of their key to tell households' members apart."""
    household = getattr(known["people"].get(member), "household", "") or ""
    short = str(member)[:SHORT_KEY]
    return f"{household} ({short})" if household else short


def _date(ms: int) -> str:
    moment = timezone.localtime(datetime.fromtimestamp(int(ms) / 1000, tz=UTC))
    return str(formats.date_format(moment, "DATE_FORMAT"))


def _cargo(name: str) -> str:
    return cargo_word("cargo", str(name))


def admission(effect: Effect, known: Known) -> list[str]:
    applicant = str(effect["applicant"])
    household = known["applicants"].get(applicant, "")
    who = f"{household} ({applicant[:SHORT_KEY]})" if household else _who(applicant, known)
    return [_("%(who)s joins the assembly as a member.") % {"who": who}]


def suspension(effect: Effect, known: Known) -> list[str]:
    who = _who(str(effect["member"]), known)
    return [
        _("%(who)s is suspended: they keep their place but may not act until the assembly reinstates them.")
        % {"who": who}
    ]


def reinstatement(effect: Effect, known: Known) -> list[str]:
    return [_("%(who)s is reinstated and may act again.") % {"who": _who(str(effect["member"]), known)}]


def key_replacement(effect: Effect, known: Known) -> list[str]:
    key = str(effect["key"])
    member = known["claims"].get(key, "")
    new = key[:SHORT_KEY]
    if not member:
        return [_("The new key %(key)s replaces a lost one.") % {"key": new}]
    return [
        _("The new key %(key)s replaces the key of %(who)s; from then on the old key no longer counts.")
        % {"key": new, "who": _who(member, known)}
    ]


def cargo_assignment(effect: Effect, known: Known) -> list[str]:
    words = {"who": _who(str(effect["member"]), known), "cargo": _cargo(effect["cargo"])}
    return [
        _("%(who)s holds the cargo «%(cargo)s» from the decision until %(until)s.")
        % {**words, "until": _date(effect["until"])}
    ]


def recall(effect: Effect, known: Known) -> list[str]:
    words = {"who": _who(str(effect["member"]), known), "cargo": _cargo(effect["cargo"])}
    return [_("%(who)s no longer holds the cargo «%(cargo)s», from the decision on.") % words]


def amendment(effect: Effect, known: Known) -> list[str]:
    return [
        _("The amendment no. %(amendment)s is made to proposal no. %(proposal)s.")
        % {"amendment": effect["amendment"], "proposal": effect["proposal"]}
    ]


def cargo_creation(effect: Effect, known: Known) -> list[str]:
    powers = [cargo_word("power", str(p), names=known.get("records", {})) for p in effect.get("powers") or []]
    days, seats, burden = int(effect["term_days"]), int(effect["seats"]), int(effect["burden"])
    lines = [_("A new cargo is created: «%(cargo)s».") % {"cargo": _cargo(effect["cargo"])}]
    if powers:
        lines.append(_("Its holders may: %(powers)s.") % {"powers": "; ".join(powers)})
    else:
        lines.append(_("It carries no power of its own: it is a duty."))
    lines.append(
        ngettext("Each term lasts %(days)s day.", "Each term lasts %(days)s days.", days) % {"days": days}
    )
    lines.append(
        ngettext("One household holds it at a time.", "%(seats)s households hold it together.", seats)
        % {"seats": seats}
    )
    lines.append(
        _("Its weight in the turn order is %(burden)s; it is filled by turn among the households.")
        % {"burden": burden}
    )
    return lines


def exemption(effect: Effect, known: Known) -> list[str]:
    who = str(effect["household"]) if "household" in effect else _who(str(effect["member"]), known)
    return [
        _("%(who)s takes no turn in any cargo from %(start)s to %(end)s.")
        % {"who": who, "start": _date(effect["start"]), "end": _date(effect["end"])}
    ]


def mandate(effect: Effect, known: Known) -> list[str]:
    return [
        _("From the decision on, the assembly's position in %(body)s on «%(question)s» is «%(position)s».")
        % {
            "body": record_shown(str(effect["body"]), known.get("records", {})),
            "question": effect["question"],
            "position": word("position", str(effect["position"])),
        }
    ]


def erasure(effect: Effect, known: Known) -> list[str]:
    return [
        _(
            "The words of entry %(entry)s are erased on every node; the record keeps their fingerprint and "
            "the entry itself."
        )
        % {"entry": effect["entry"]}
    ]


def _share(share: str) -> str:
    """A ratification share as people say it: a whole one is every member assembly."""
    num, _sep, den = share.partition("/")
    return str(_("all of them")) if num == den else share


def resolution(effect: Effect, known: Known) -> list[str]:
    rule = {
        "assemblies": _("one assembly, one vote"),
        "households_capped": _("by households, capped per assembly"),
        "double_majority": _("a double majority of assemblies and households"),
    }.get(str(effect["rule"]), str(effect["rule"]))
    return [
        _(
            "The resolution binds once the member assemblies ratify it, each by its own decision: %(share)s, "
            "counted %(rule)s, by %(deadline)s."
        )
        % {"share": _share(str(effect["share"])), "rule": rule, "deadline": _date(effect["deadline"])}
    ]


def ratification(effect: Effect, known: Known) -> list[str]:
    return [
        _(
            "Yes ratifies resolution %(resolution)s of the federation %(federation)s; no refuses it. Either "
            "way the result is recorded for the federation to count."
        )
        % {
            "resolution": effect["resolution"],
            "federation": record_shown(str(effect["federation"]), known.get("records", {})),
        }
    ]


EFFECT_WORDS: dict[str, Callable[[Effect, Known], list[str]]] = {
    "admission": admission,
    "suspension": suspension,
    "reinstatement": reinstatement,
    "key_replacement": key_replacement,
    "cargo_assignment": cargo_assignment,
    "recall": recall,
    "amendment": amendment,
    "cargo_creation": cargo_creation,
    "exemption": exemption,
    "mandate": mandate,
    "erasure": erasure,
    "resolution": resolution,
    "ratification": ratification,
}
# Matters whose effect is shown otherwise: the outcome itself (ordinary, choice), or the charter's diff.
NOT_IN_WORDS = frozenset({"ordinary", "choice", "charter_amendment"})


def effect_in_words(matter: str, effect: Effect, known: Known) -> list[str]:
    """The sentences saying what a proposal of `matter` with `effect` changes if it passes."""
    words = EFFECT_WORDS.get(matter)
    return words(effect, known) if words and effect else []


def proposals_in_words(
    log: str, proposals: Iterable[tuple[int, str]], context: Mapping[str, Any]
) -> dict[int, list[str]]:
    """For each proposal (its id and matter) the reader may read, by id, the sentences saying what it
    changes if it passes."""
    shown = [(i, m) for i, m in proposals if m not in NOT_IN_WORDS and i not in context["hidden"]]
    if not shown:
        return {}
    # Hidden words leave only a members_only flag: an applicant or claim said in them is named by key.
    subjects = shown_to(
        pages.list_matter_subjects(log, matter="", now=context["now"]), context["hidden"], withheld=""
    )
    effects = {i: (m, pages.get_proposal_effect(log, i).effect) for i, m in shown}
    known = {
        "records": get_record_names(log for _, e in effects.values() for log in _records_named(e)),
        "people": context["people"],
        "applicants": {a.key: "" if a.members_only else a.household for a in subjects.applicants},
        "claims": {c.key: "" if c.members_only else c.member for c in subjects.claims},
    }
    return {i: effect_in_words(m, effect, known) for i, (m, effect) in effects.items()}


def _records_named(effect: Effect) -> list[str]:
    """The records an effect names by log id: a federation (a mandate's body, a ratification's), and
    those a cargo's powers name."""
    if not effect:
        return []
    named = [str(effect.get("federation") or ""), str(effect.get("body") or "")]
    named += [power_federation(str(p)) for p in effect.get("powers") or []]
    return [n for n in named if n]
