"""Messages in a member's language: what each reminder says, and the link to act on it.

A message carries only the reminder's public words (`queries.notifications.list_member_reminders` shows
them as an outsider may read them) and a link. The link opens the page where the member signs the act
with the key on their own device, logged in there; it carries no secret (decision 0014), so a message
read by someone else lets them do nothing a stranger could not.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from ayllu.queries.notifications import ShownReminder
from ayllu.words import cargo_name, meeting_title


@dataclass(frozen=True, slots=True)
class Message:
    """One message: its subject, plain text and HTML (e-mail); a line or two and the one link a push
    notification shows (`summary`, `link`)."""

    subject: str
    text: str
    html: str
    summary: str = ""
    link: str = ""


@dataclass(frozen=True, slots=True)
class _Item:
    headline: str
    detail: str
    link: str


def _when(ms: int, offset: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(timezone(timedelta(minutes=offset)))
    hours, minutes = divmod(abs(offset), 60)
    sign = "+" if offset >= 0 else "-"
    return f"{formats.date_format(moment, 'DATETIME_FORMAT')} (UTC{sign}{hours}:{minutes:02d})"


def _url(name: str, **kwargs: object) -> str:
    return str(settings.AYLLU_PUBLIC_URL).rstrip("/") + reverse(name, kwargs=kwargs)


def _headline(r: ShownReminder) -> str:
    titled = {
        "question_opened": (_("A vote is open: %(title)s"), _("A vote is open on a proposal")),
        "question_closing": (_("Voting closes soon: %(title)s"), _("Voting closes soon on a proposal")),
        "meeting_convened": (_("Meeting convened: %(title)s"), _("A meeting of the assembly was convened")),
        "meeting_starting": (
            _("The meeting starts soon: %(title)s"),
            _("A meeting of the assembly starts soon"),
        ),
    }
    if r.kind in ("ratification_due", "ratification_closing"):
        return _ratification_headline(r)
    if r.kind == "vote_flagged":
        if r.flag == "without_mandate":
            return _("Alert: a delegate voted without a mandate from the assembly")
        return _("Alert: a delegate voted against the assembly's mandate")
    if r.kind == "question_closing" and r.cargo:  # a recall vote: it names the cargo, not a title
        return _("A vote to recall the holder of %(cargo)s closes soon") % {"cargo": cargo_name(r.cargo)}
    if r.kind in titled:
        with_title, without = titled[r.kind]
        return with_title % {"title": meeting_title(r.title, plenary=r.plenary)} if r.title else without
    return {
        "turn_coming": _("Your household's turn as %(cargo)s is coming"),
        "term_ending": _("Your term as %(cargo)s ends soon"),
        "report_overdue": _("A report of yours is overdue"),
        "swap_offered": _("A household offers yours a swap of turns as %(cargo)s"),
        "mandate_requested": _("A delegate asks the assembly for a mandate"),
        "recall_petitioned": _("A petition asks to recall the holder of %(cargo)s"),
        "recall_vote": _("A vote to recall the holder of %(cargo)s is open"),
    }[r.kind] % {"cargo": cargo_name(r.cargo)}


def _ratification_headline(r: ShownReminder) -> str:
    """A resolution awaiting the assembly's answer, naming the federation and the resolution only where
    their words are public (`body` and `title` are "" otherwise)."""
    words = {"federation": r.body, "title": r.title}
    if r.kind == "ratification_closing":
        if r.title:
            return _("The time to ratify ends soon: %(title)s") % words
        return _("The time to ratify a federation's resolution ends soon")
    if r.body and r.title:
        return _("%(federation)s asks the assembly to ratify: %(title)s") % words
    if r.body:
        return _("%(federation)s asks the assembly to ratify a resolution") % words
    if r.title:
        return _("A federation asks the assembly to ratify: %(title)s") % words
    return _("A federation asks the assembly to ratify a resolution")


def _detail(r: ShownReminder, offset: int) -> str:
    details = {
        "question_opened": _("You may vote until %(when)s."),
        "recall_vote": _("You may vote until %(when)s."),
        "question_closing": _("Voting closes on %(when)s and you have not voted yet."),
        "meeting_convened": _("It starts on %(when)s."),
        "meeting_starting": _("It starts on %(when)s."),
        "turn_coming": _("The term starts on %(when)s."),
        "term_ending": _("It ends on %(when)s."),
        "report_overdue": _(
            "The report on a session where you represented the assembly was due on %(when)s."
        ),
        "swap_offered": _("Accept it or leave it on the cargos page."),
        "ratification_due": _(
            "The assembly's answer counts if it is decided, recorded and cited by %(when)s. See where it "
            "stands under “Our federations”."
        ),
        "ratification_closing": _(
            "The assembly's answer counts only until %(when)s and it is not recorded yet."
        ),
        "recall_petitioned": _("Read its reason and sign it on the recall page if you agree."),
        "mandate_requested": _("Read the request and take it up with the assembly."),
        "vote_flagged": _(
            "The vote was recorded on %(when)s. See how our delegates voted beside what we mandated; the "
            "assembly may ask them to explain or recall them."
        ),
    }
    if r.kind not in details:
        raise ValueError(f"no words for a reminder of kind {r.kind!r}")
    # A text without %(when)s is left as it is by a mapping.
    return details[r.kind] % {"when": _when(r.at, offset) if r.at else ""}


def _link(log: str, r: ShownReminder) -> str:
    if r.kind.startswith("question_") or r.kind == "recall_vote":
        return _url("web:proposal", log=log, proposal_id=r.about)
    if r.kind.startswith("meeting_"):
        return _url("web:meeting", log=log, meeting_id=r.about)
    if r.kind in ("report_overdue", "mandate_requested", "vote_flagged"):
        return _url("web:mandates", log=log)
    if r.kind == "recall_petitioned":
        return _url("web:recall", log=log)
    if r.kind.startswith("ratification_"):  # the decision under way, or "our federations" on the home page
        if r.about:
            return _url("web:proposal", log=log, proposal_id=r.about)
        return _url("web:assembly", log=log) + "#federations-title"
    if r.kind in ("turn_coming", "term_ending", "swap_offered"):
        return _url("web:cargos", log=log)
    raise ValueError(f"no page for a reminder of kind {r.kind!r}")


def render_message(
    reminders: list[ShownReminder], *, log: str, assembly: str, language: str, utc_offset: int
) -> Message:
    """The message telling of `reminders` (one, or a day's digest) in `language`."""
    with translation.override(language):
        items = [_Item(_headline(r), _detail(r, utc_offset), _link(log, r)) for r in reminders]
        if len(items) == 1:
            subject = f"{assembly}: {items[0].headline}"
            summary, link = items[0].detail, items[0].link
        else:
            summary = "; ".join(i.headline for i in items)
            link = _url("web:assembly", log=log)
            subject = _("%(assembly)s: %(count)s things for you today") % {
                "assembly": assembly,
                "count": len(items),
            }
        context = {
            "language": language,
            "subject": subject,
            "intro": _("News from %(assembly)s that concerns you:") % {"assembly": assembly},
            "items": items,
            "action": _("Open it on your device"),
            "footer": _(
                "You receive this because you asked for it. Acts are signed only on your own device, never "
                "from this message. Change or stop these messages on your settings page:"
            ),
            "settings_link": _url("web:notifications", log=log),
        }
        text = render_to_string("web/notify/message.txt", context)
        html = render_to_string("web/notify/message.html", context)
    return Message(subject, text, html, summary, link)


def render_cached(
    reminders: tuple[ShownReminder, ...], *, log: str, assembly: str, language: str, utc_offset: int
) -> Message:
    """`render_message`, once per (reminders, language, offset, assembly, the node's address): a
    reminder reaching thousands of members is written a few times, not once each
    (bench/notifications.py). A message holds no member's name or address, so members of the same
    language and offset share it."""
    return _rendered(reminders, log, assembly, language, utc_offset, str(settings.AYLLU_PUBLIC_URL))


@lru_cache(maxsize=4096)
def _rendered(
    reminders: tuple[ShownReminder, ...], log: str, assembly: str, language: str, offset: int, base: str
) -> Message:
    return render_message(list(reminders), log=log, assembly=assembly, language=language, utc_offset=offset)
