"""The assembly's news as an Atom feed (RFC 4287): decisions with their outcome, minutes of meetings.

Anyone may subscribe, so the feed holds public words only: every word passes through `shown_to` for an
outsider, and a decision or meeting whose words are for members says only that it happened. Texts follow
the URL's language prefix; each entry links to its page.
"""

from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ayllu.assembly_words import word
from ayllu.core.assembly.words import shown_to
from ayllu.queries import assembly as q
from ayllu.queries import pages
from ayllu.queries.feeds import DecisionFeedEntry, MinutesFeedEntry, list_feed_entries
from ayllu.storage.errors import RecordNotFound
from ayllu.words import meeting_title

from .views_assembly import not_found


def _utc(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _decision(item: DecisionFeedEntry) -> tuple[str, str]:
    result = word("result", item.result)
    if item.title:
        title = _("Decided: %(title)s (%(result)s)") % {"title": item.title, "result": result}
    else:
        title = _("A decision on a proposal for members only (%(result)s)") % {"result": result}
    method = word("method", item.method)
    return title, _("Outcome: %(result)s (method: %(method)s).") % {"result": result, "method": method}


def _minutes(item: MinutesFeedEntry) -> tuple[str, str]:
    title = (
        _("Minutes: %(title)s") % {"title": meeting_title(item.title, plenary=item.plenary)}
        if item.title
        else _("Minutes of a meeting for members only")
    )
    lines = [
        _("Meeting of %(date)s (UTC); %(present)s present.")
        % {"date": _utc(item.starts).strftime("%Y-%m-%d %H:%M"), "present": item.present}
    ]
    # shown: each word is its text, or None where it is withheld
    proposals = [p for p in item.proposals if isinstance(p, str) and p]
    if proposals:
        lines.append(_("Proposals: %(titles)s.") % {"titles": "; ".join(proposals)})
    lines += [note for note in item.notes if isinstance(note, str) and note]
    return title, "\n".join(lines)


def build_feed(request: HttpRequest, log: str) -> Atom1Feed:
    """The Atom feed of `log`'s latest decisions and minutes, as an outsider may read them."""
    try:
        name = q.get_assembly(log).name
    except RecordNotFound as error:
        raise not_found(error) from None
    home = request.build_absolute_uri(reverse("web:assembly", kwargs={"log": log}))
    feed = Atom1Feed(
        title=_("%(name)s: decisions and minutes") % {"name": name},
        link=home,
        description="",
        feed_url=request.build_absolute_uri(reverse("web:assembly_feed", kwargs={"log": log})),
        feed_guid=f"{home}#feed",
        # Atom wants an author: the assembly speaks through its record.
        author_name=name,
        language=request.LANGUAGE_CODE,
    )
    entries = shown_to(list_feed_entries(log), pages.get_members_only(log).seqs)
    for item in entries:
        if isinstance(item, DecisionFeedEntry):
            title, text = _decision(item)
            page = reverse("web:record_decision", kwargs={"log": log, "question_id": item.id})
        else:
            title, text = _minutes(item)
            page = reverse("web:minutes", kwargs={"log": log, "meeting_id": item.id})
        link = request.build_absolute_uri(page)
        feed.add_item(
            title=title,
            link=link,
            description=text,
            unique_id=f"{home}#{item.kind}-{item.id}",
            updateddate=_utc(item.time),
            pubdate=_utc(item.time),
        )
    return feed


@require_GET
def assembly_feed(request: HttpRequest, log: str) -> HttpResponse:
    """The assembly's decisions and minutes as an Atom feed."""
    feed = build_feed(request, log)
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
