"""The record page's tools: download the record (JSON Lines), and check one decision's inclusion proof.

The export carries what the reader may see: public bodies for anyone, members' bodies too for a member
of this assembly logged in here (authorisation from the record, `auth.current_login`), confidential
bodies never. The proof of a decision is checked in the browser (static/web/js/proof.js) from the exact
bytes the node signed, so the reader need not trust the node that served them; without JavaScript the
page shows the same data and the command that checks it offline (`ayllu check-proof`).
"""

import dataclasses
import json
import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ayllu.actions.record import do_sign_checkpoint, do_verify_record, node_keypair
from ayllu.core.assembly.rule_errors import UnknownQuestion
from ayllu.core.ledger.checkpoints import Checkpoint, parse_checkpoint
from ayllu.queries import proofs
from ayllu.queries import record as record_queries
from ayllu.queries.export import iter_export_lines
from ayllu.queries.replication import get_record_tip
from ayllu.storage.errors import RecordNotFound
from ayllu.web.address_words import fragment

from . import auth
from .errors import message_for
from .reader import for_reader, hidden_for_request
from .views_assembly import session_context

PUBLIC = frozenset({"public"})
MEMBERS = frozenset({"public", "members"})


def _overview(log: str) -> record_queries.RecordOverview:
    try:
        return record_queries.get_record_overview(log)
    except RecordNotFound:
        raise Http404(message_for("record_not_found", {"log": log})) from None


def visible_to(request: HttpRequest, log: str) -> frozenset[str]:
    """The body visibilities this reader may see in `log`: members' too only for its logged-in members."""
    login = auth.current_login(request)
    return MEMBERS if login is not None and login.log == log else PUBLIC


def _file_stem(name: str, log: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "record"
    return f"{slug}-{log[:12]}"


@csrf_exempt
@require_POST
def record_verify(request: HttpRequest, log: str) -> HttpResponseRedirect:
    """Check the whole record now, as `ayllu verify` does (signatures, links, checkpoints, the rules),
    and show the result on the record page. A record already checked at its present size is not
    checked again: the result stands until an entry is added.

    Exempt from CSRF: it acts for nobody (no session is read, anyone may ask, the answer is the same
    for all), so a forged request can do nothing a visitor could not; and the form works without
    JavaScript on a page that carries no token."""
    overview = _overview(log)
    last = overview.last_verification
    if last is None or last.size != overview.size:
        do_verify_record(log, workers=1)
    return HttpResponseRedirect(reverse("web:record", kwargs={"log": log}) + "#" + fragment("verification"))


@require_GET
def record_export(request: HttpRequest, log: str) -> StreamingHttpResponse:
    """The record as its export file, with the bodies this reader may see."""
    overview = _overview(log)
    visible = visible_to(request, log)
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in iter_export_lines(log, visible=visible)),
        content_type="application/jsonl; charset=utf-8",
    )
    suffix = "" if visible == PUBLIC else "-members"
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(overview.name, log)}{suffix}.jsonl"'
    # A members' copy is for this reader only; a public one may change as the record grows.
    response["Cache-Control"] = "private, no-store" if visible != PUBLIC else "no-cache"
    return response


@require_GET
def decisions(request: HttpRequest, log: str) -> HttpResponse:
    """The assembly's decisions, newest first, each linking to the check of its inclusion proof."""
    overview = _overview(log)
    context = {
        "record": overview,
        "decisions": for_reader(proofs.list_decisions(log), hidden_for_request(request, log)),
        **session_context(request, log),
    }
    return render(request, "web/record/decisions.html", context)


def _covering_checkpoint(log: str, seq: int) -> Checkpoint | None:
    """The latest checkpoint if it covers entry `seq`; else a new one when this node seals the record."""
    latest = proofs.get_latest_checkpoint(log)
    if latest is not None and latest.size >= seq:
        return latest
    sealer = get_record_tip(log)[2]
    if sealer and sealer == node_keypair().public:
        return parse_checkpoint(do_sign_checkpoint(log).raw)
    return None


def _decision_and_proof(
    log: str, question_id: int
) -> tuple[proofs.DecisionRead, proofs.InclusionProofRead | None]:
    try:
        decision = proofs.get_decision(log, question_id)
    except UnknownQuestion as error:
        raise Http404(message_for(error.code, error.detail)) from None
    checkpoint = _covering_checkpoint(log, decision.seq)
    proof = (
        None
        if checkpoint is None
        else proofs.get_inclusion_proof(log, seq=decision.seq, checkpoint=checkpoint)
    )
    return decision, proof


@require_GET
def decision(request: HttpRequest, log: str, question_id: int) -> HttpResponse:
    """Check one decision: its entry, the signed checkpoint and the audit path between them."""
    overview = _overview(log)
    found, proof = _decision_and_proof(log, question_id)
    checkpoint = None if proof is None else json.loads(proof.checkpoint)
    context = {
        "record": overview,
        "decision": for_reader(found, hidden_for_request(request, log)),
        "proof": proof,
        # the file `decision_proof` serves, as the page's script reads it
        "proof_file_json": None if proof is None else dataclasses.asdict(proof),
        "checkpoint": checkpoint,
        "proof_file": f"decision-{question_id}.json",
        **session_context(request, log),
    }
    return render(request, "web/record/decision.html", context)


@require_GET
def decision_proof(request: HttpRequest, log: str, question_id: int) -> HttpResponse:
    """The proof of one decision as a file, for `ayllu check-proof FILE` on the reader's own computer."""
    _overview(log)
    proof = _decision_and_proof(log, question_id)[1]
    if proof is None:
        raise Http404(_("No signed checkpoint covers this decision yet."))
    response = HttpResponse(
        json.dumps(dataclasses.asdict(proof), ensure_ascii=False, indent=1) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="decision-{question_id}.json"'
    return response
