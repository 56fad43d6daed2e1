"""Forms that table the matters with an effect, and the lost-device route.

Every matter but ordinary ones and choices changes something when it passes: admits an applicant,
amends the charter, suspends or reinstates a member, replaces a lost key, creates a cargo or assigns
one. Each has its form here, which shows the charter's rule for it in plain words and lets the member
pick the subject; the act is signed on the device like every other (act-form.js) and the core checks
the effect when it is tabled, so nothing half-written reaches the record.

The charter amendment's editor (charter_editor.py) is read back without JavaScript: "Preview" reloads
the page with the new settings, the plain-language charter they make and what changes, and only then
offers the form that signs the amendment with the whole new charter in it.
"""

from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ayllu.assembly_words import word
from ayllu.core.charter.rules import parse_charter
from ayllu.core.errors import DomainError
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.queries import assembly as q
from ayllu.queries import pages
from ayllu.queries.federations import get_record_names
from ayllu.queries.replayed import one_head
from ayllu.web.address_words import in_query, query_value

from . import charter_editor
from .errors import message_for
from .founding_form import share_words
from .reader import for_reader
from .views_assembly import Away, assembly_context, signing_key
from .views_proposals import MATTER_FORMS, may_table, meeting_for_tabling

DAY_MS = 24 * 3600 * 1000


def _setting_label(field: str) -> str:
    """Words for the charter setting an error names ("methods.admission.threshold" -> admissions)."""
    parts = field.split(".")
    if parts[0] == "methods" and len(parts) > 1:
        return word("matter", parts[1])
    if parts[0] == "federation":  # the federation's own rules: the one named, as its field says it
        named = charter_editor.federation_labels() | {
            "offices": _("Offices by turn"),
            "office": _("Offices by turn"),
        }
        return str(named.get(parts[-1], _("The federation's rules")))
    labels = {
        "quorum": _("Quorum in meetings"),
        "participation": _("Participation between meetings"),
        "fallback": _("Fallback vote"),
        "rounds": _("Rounds before the fallback"),
        "consensus_blocks": _("Blocks that stop a consensus"),
        "charter": _("Blocks that stop a consensus"),
        "deliberation": _("Time for discussion and voting"),
        "tabling": _("Who may bring a proposal to a vote"),
        "admission": _("How new members join"),
        "key_replacement": _("How a lost device's key is replaced"),
        "petition": _("Signatures to convene a meeting"),
        "speaking": _("Speaking time"),
    }
    return str(labels.get(parts[0], field))


def charter_error(error: DomainError) -> str:
    """A translated sentence for a charter the editor's values do not make valid."""
    if error.code == "threshold_out_of_reach":
        return message_for(error.code, error.detail)
    if error.detail.get("reason") == "not_higher_than_ordinary":
        return _(
            "A charter amendment must need more support than an ordinary matter: raise the share for "
            "charter amendments or lower the one for ordinary matters."
        )
    setting = _setting_label(str(error.detail.get("field", "")))
    return _("%(problem)s Check this setting: %(setting)s.") % {
        "problem": message_for(error.code, error.detail),
        "setting": setting,
    }


def _charter_amendment(request: HttpRequest, log: str, context: dict[str, Any]) -> HttpResponse:
    current = q.get_charter(log).data
    values = charter_editor.editor_values(current)
    preview: dict[str, Any] | None = None
    problem = ""
    problems: list[str] = []
    if in_query(request.GET, "preview"):
        values.update({k: query_value(request.GET, k) for k in values if in_query(request.GET, k)})
        try:
            amended = charter_editor.amended_charter(current, values)
            parse_charter(amended)
            pages.check_charter_within_reach(log, amended)
        except charter_editor.FederationProblems as error:
            problems = error.problems
        except charter_editor.FieldError as error:
            problem = _("Write a whole number in every box. Check this setting: %(setting)s.") % {
                "setting": _setting_label(error.field)
            }
        except DomainError as error:
            problem = charter_error(error)
        else:
            preview = {
                "messages": charter_editor.charter_messages(amended),
                "changes": charter_editor.charter_changes(current, amended),
                "federation_changes": charter_editor.federation_changes(
                    current["federation"], amended["federation"]
                )
                if "federation" in current
                else [],
                "effect": canonical_bytes({"charter": amended}).decode("utf-8"),
            }
    amended_effect = {"charter": amended} if preview is not None else None
    # In a federation a seated delegate tables it, signing with the key kept for their home assembly
    # (the form's data-key-log), as on the federation's page (views_federation_body.py).
    home: Away | None = context["away"]
    context.update(
        may_table=preview is not None
        and may_table(
            context,
            matter="charter_amendment",
            meeting=context["meeting"] if home is None else None,
            effect=amended_effect,
            key=signing_key(context),
        ),
        key_log=home.log if home is not None else "",
        values=values,
        preview=preview,
        problem=problem,
        problems=problems,
        choices=charter_editor.choices(),
        # a federation's own rules, in the fields the found page asks them with (founding_form.py)
        federation_fields={
            k.removeprefix("federation."): v for k, v in values.items() if k.startswith("federation.")
        },
        office_rows=charter_editor.office_rows(values),
        federation_labels=charter_editor.federation_labels(),
        quorum_choices=charter_editor.quorum_choices(values),
        # the shares the found page offers, and any other the charter names, so none changes unseen
        shares={
            values[k]: values[k] for k in ("federation.share", "federation.households_share") if k in values
        }
        | share_words(),
        current_messages=charter_editor.charter_messages(current),
    )
    return render(request, "web/assembly/charter_amend.html", context)


@require_GET
@one_head()
def new_matter_proposal(request: HttpRequest, log: str, matter: str) -> HttpResponse:
    """The form that tables a proposal of `matter`, with the charter's rule for it in plain words."""
    if matter not in MATTER_FORMS:
        raise Http404(message_for("invalid_effect", {"matter": matter}))
    own = reverse("web:new_matter_proposal", kwargs={"log": log, "matter": matter})
    if request.path != own:
        # the matter's word in another language, or the English word of older links: its own address
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{own}?{query}" if query else own)
    context = assembly_context(request, log)
    charter = q.get_charter(log).data
    context.update(
        section="proposals",
        matter=matter,
        rule=charter_editor.matter_rule(charter, matter),
        meeting=meeting_for_tabling(log, request, hidden=context["hidden"]),
    )
    if matter == "charter_amendment":
        return _charter_amendment(request, log, context)
    subjects = for_reader(
        pages.list_matter_subjects(log, matter=matter, now=context["now"]), context["hidden"]
    )
    # An erasure names its entry (`?entrada=<seq>`): from the record page's link, or typed in the form.
    raw_entry = query_value(request.GET, "entry")
    entry = int(raw_entry) if matter == "erasure" and raw_entry.isdigit() and len(raw_entry) < 16 else None
    federated = _federation_fields(request, charter, matter, now=context["now"])
    # A ratification names the federation's resolution (`?federacion=…&resolucion=…`): from "our
    # federations", or typed in the form; like an erasure's entry, it is picked first.
    answering = federated.get("ratification_effect")
    delegate: Away | None = context["away"]
    # A federation's proposal is tabled by a delegate logged in at home, signed with the device key kept
    # for that home (data-key-log; decision 0029): the core says whether their key stands here now.
    context.update(
        key_log=delegate.log if delegate is not None else "",
        subjects=subjects,
        default_until=context["now"] + (subjects.term_ms or 90 * DAY_MS),
        default_term_days=max(1, subjects.term_ms // DAY_MS),
        by_decision=_route_is_decision(charter, matter),
        entry=entry,
        # An erasure's form is offered only for an entry named: the member picks it first.
        may_table=(matter != "erasure" or entry is not None)
        and (matter != "ratification" or answering is not None)
        and may_table(
            context,
            matter=matter,
            meeting=context["meeting"],
            effect={"entry": entry} if entry is not None else answering,
            key=signing_key(context),
        ),
        # the new cargo's name, when the page is asked with it: the title names it without JavaScript
        cargo_name=query_value(request.GET, "cargo").strip()[:64] if matter == "cargo_creation" else "",
        **federated,
    )
    return render(request, "web/assembly/proposal_matter.html", context)


def _federation_fields(
    request: HttpRequest, charter: Mapping[str, Any], matter: str, *, now: int
) -> dict[str, Any]:
    """A resolution's form starts from the charter's weighting; a ratification's names the federation and
    the resolution its link gave (`?federacion=…&resolucion=…`, from "our federations")."""
    if matter == "resolution":
        if "federation" not in charter:
            return {"not_a_federation": True}
        chosen = charter["federation"].get("ratification", {"rule": "assemblies", "share": "1/2"})
        return {"ratification": chosen, "default_deadline": now + 30 * DAY_MS}
    if matter == "cargo_creation" and "federation" in charter:
        # A federation has no turns among households: its offices pass among assemblies (decision 0033).
        return {"no_turns": message_for("no_turns_in_federation", {})}
    if matter == "ratification":
        federation, resolution = (
            query_value(request.GET, "federation"),
            query_value(request.GET, "resolution"),
        )
        named = federation if len(federation) == 64 else ""
        number = int(resolution) if resolution.isdigit() and len(resolution) < 16 else None
        effect = {"federation": named, "resolution": number} if named and number else None
        # the federation's name where this node holds its record: members read a name, not a hash
        held = get_record_names([named])
        return {
            "federation": named,
            "federation_name": held.get(named, ""),
            "resolution": number,
            "ratification_effect": effect,
        }
    return {}


def _route_is_decision(charter: Mapping[str, Any], matter: str) -> bool:
    """Whether the charter takes `matter` by decision (admission and key replacement have other routes)."""
    if matter in ("admission", "key_replacement"):
        return bool(charter[matter]["by"] == "decision")
    return True


@require_GET
@one_head()
def lost_device(request: HttpRequest, log: str) -> HttpResponse:
    """A member who lost their device claims their place with this device's new key; members vouch for it
    or the assembly decides, as the charter says."""
    context = assembly_context(request, log)
    charter = q.get_charter(log).data
    subjects = for_reader(
        pages.list_matter_subjects(log, matter="key_replacement", now=context["now"]), context["hidden"]
    )
    context.update(
        section="members",
        rule=charter_editor.matter_rule(charter, "key_replacement", tabling=False),
        by_decision=charter["key_replacement"]["by"] == "decision",
        active=subjects.active,
        claims=subjects.claims,
    )
    return render(request, "web/assembly/lost_device.html", context)
