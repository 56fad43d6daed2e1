"""HTTP endpoints for replication under /fed/: checkpoints, entries, bodies, proofs, cosignatures, evidence.

Everything served is exact signed bytes, so a peer trusts none of it before checking it. Entries come
as JSON Lines (one exact header per line) or, with `format=json`, as a JSON array of strings. Ranges
below the latest signed checkpoint never change, so they are served with a long, immutable
Cache-Control. Bodies honour visibility: `public` bodies to anyone, `members` bodies only to a request
signed by a node a current member delegated (auth.py), `confidential` bodies never.
"""

import json
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ayllu.actions.record import do_sign_checkpoint, node_keypair
from ayllu.actions.replication import do_store_cosignature, do_store_evidence
from ayllu.addresses import client_address
from ayllu.core.errors import BadProof, DomainError
from ayllu.core.ledger.checkpoints import parse_checkpoint
from ayllu.core.ledger.merkle import consistency_proof_by_ranges, inclusion_proof_by_ranges
from ayllu.messages import message_for
from ayllu.queries import replication as q
from ayllu.queries.record_tree import RecordTree
from ayllu.storage.errors import RecordNotFound

from .auth import NotAMembersNode, visible_for

MAX_RANGE = 5000
MAX_DIGITS = 18
# Django reads a request body up to DATA_UPLOAD_MAX_MEMORY_SIZE (8 MiB); evidence is far smaller
# (core.evidence.MAX_EVIDENCE_BYTES), so every piece a node keeps can be posted on.
MAX_POST_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
EVIDENCE_PAGE = 100
MAX_EVIDENCE_PAGE = 500
SERVED_TO_PEERS = frozenset({"public"})
IMMUTABLE = "public, max-age=31536000, immutable"
FRESH = "no-cache"
JSONL = "application/jsonl"


class BadRequest(DomainError):
    code = "bad_request"


class RequestTooLarge(DomainError):
    code = "request_too_large"
    status = 413


def _error(status: int, code: str, **detail: Any) -> JsonResponse:
    message = message_for(code, detail)
    return JsonResponse({"code": code, "message": message, "detail": detail}, status=status)


def _domain_error(exc: DomainError) -> JsonResponse:
    status = 404 if isinstance(exc, RecordNotFound) else 413 if isinstance(exc, RequestTooLarge) else 400
    return _error(status, exc.code, **{k: str(v) for k, v in exc.detail.items()})


def _int_arg(request: HttpRequest, name: str, *, default: int | None = None) -> int:
    value = request.GET.get(name)
    if value is None:
        if default is None:
            raise BadRequest(reason="missing_argument", argument=name)
        return default
    return _ascii_int(value, name)


def _ascii_int(value: str, name: str) -> int:
    # str.isdigit also takes "²" and other digits int() refuses; a seq never needs more than 18 digits.
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS:
        raise BadRequest(reason="bad_argument", argument=name)
    return int(value)


def members_only_guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a record whose charter keeps it to members' nodes (`record.replicas`) only to a request
    signed by a node a current member delegated: such a record is not mirrored anonymously at all."""

    @wraps(view)
    def guarded(request: HttpRequest, log: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if q.is_kept_to_members(log) and "members" not in visible_for(request, log):
                return _error(403, "record_kept_to_members", log=log)
        except NotAMembersNode as exc:
            return _error(403, exc.code, **{k: str(v) for k, v in exc.detail.items()})
        except DomainError as exc:
            return _domain_error(exc)
        return view(request, log, *args, **kwargs)

    return guarded


def _lines(items: Iterable[bytes]) -> bytes:
    return b"".join(raw + b"\n" for raw in items)


@require_GET
def index(request: HttpRequest) -> JsonResponse:
    """This node's key and the records it serves."""
    return JsonResponse({"node": node_keypair().public, "records": q.list_logs()})


def _latest_checkpoint(log: str) -> bytes | None:
    size, _, sealer = q.get_record_tip(log)
    latest = q.get_latest_checkpoint_bytes(log)
    stale = latest is None or parse_checkpoint(latest).size < size
    if stale and sealer == node_keypair().public:
        # Only the node that seals the record signs checkpoints of it; mirrors serve the sealer's.
        return do_sign_checkpoint(log).raw
    return latest


@require_GET
def checkpoint(request: HttpRequest, log: str, size: int | None = None) -> HttpResponse:
    """The latest checkpoint (signed now if this node seals the record), or the stored one of `size`."""
    try:
        raw = _latest_checkpoint(log) if size is None else q.get_checkpoint_bytes(log, size=size)
    except DomainError as exc:
        return _domain_error(exc)
    if raw is None:
        return _error(404, "no_checkpoint", log=log, size=size)
    response = HttpResponse(raw, content_type="application/json")
    response["Cache-Control"] = FRESH if size is None else IMMUTABLE
    return response


def _range(request: HttpRequest, log: str) -> tuple[int, int, bool]:
    first = _int_arg(request, "from", default=1)
    last = _int_arg(request, "to", default=first + MAX_RANGE - 1)
    if first < 1 or last < first:
        raise BadRequest(reason="bad_range", first=first, last=last)
    last = min(last, first + MAX_RANGE - 1)
    latest = q.get_latest_checkpoint_bytes(log)
    signed_size = 0 if latest is None else parse_checkpoint(latest).size
    return first, last, last <= signed_size


@require_GET
def entries(request: HttpRequest, log: str) -> HttpResponse:
    """Entries `from`..`to` as exact header bytes: JSON Lines, or a JSON array of strings."""
    try:
        first, last, immutable = _range(request, log)
        raws = list(q.iter_entries_in_range(log, first=first, last=last))
    except DomainError as exc:
        return _domain_error(exc)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps([raw.decode("utf-8") for raw in raws], ensure_ascii=False),
            content_type="application/json",
        )
    else:
        response = HttpResponse(_lines(raws), content_type=JSONL)
    # A short answer (the record ends sooner) may still grow; only a full range below a checkpoint is fixed.
    response["Cache-Control"] = IMMUTABLE if immutable and len(raws) == last - first + 1 else FRESH
    return response


@require_GET
def bodies(request: HttpRequest, log: str) -> HttpResponse:
    """The bodies of entries `from`..`to` this caller may see, one JSON object per line."""
    try:
        visible = visible_for(request, log)
        first, last, immutable = _range(request, log)
        found = list(q.iter_bodies_in_range(log, first=first, last=last, visible=visible))
    except NotAMembersNode as exc:
        return _error(403, exc.code, **{k: str(v) for k, v in exc.detail.items()})
    except DomainError as exc:
        return _domain_error(exc)
    lines = []
    for hash, vis, raw in found:
        item: dict[str, Any] = {"hash": hash, "vis": vis}
        if raw is None:
            item["erased"] = True
        else:
            item["body"] = raw.decode("utf-8")
        lines.append(json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    response = HttpResponse(_lines(lines), content_type=JSONL)
    # A body may be erased later for privacy, so body ranges are never cached for long; members-only
    # answers are for one node and never stored by shared caches.
    if visible != SERVED_TO_PEERS:
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "public, max-age=60" if immutable else FRESH
    return response


@require_GET
def consistency(request: HttpRequest, log: str) -> JsonResponse:
    """A consistency proof from the tree of size `from` to the tree of size `to`."""
    try:
        old, new = _int_arg(request, "from"), _int_arg(request, "to")
        if old > new:
            raise BadRequest(reason="bad_range", first=old, last=new)
        tree = _tree(log, first=old, size=new)
        proof = consistency_proof_by_ranges(tree.root, old_size=old, size=new)
    except DomainError as exc:
        return _domain_error(exc)
    return JsonResponse({"from": old, "to": new, "proof": proof})


@require_GET
def inclusion(request: HttpRequest, log: str) -> JsonResponse:
    """An inclusion proof of entry `seq` in the tree of size `size`."""
    try:
        seq, size = _int_arg(request, "seq"), _int_arg(request, "size")
        if not 1 <= seq <= size:
            raise BadRequest(reason="bad_range", first=seq, last=size)
        tree = _tree(log, first=seq, size=size)
        proof = inclusion_proof_by_ranges(tree.root, index=seq - 1, size=size)
    except DomainError as exc:
        return _domain_error(exc)
    return JsonResponse({"seq": seq, "size": size, "entry": tree.entry_hash(seq), "proof": proof})


def _tree(log: str, *, first: int, size: int) -> RecordTree:
    """The record's tree of `size` entries, read a block at a time: a proof costs no more as it grows."""
    try:
        return RecordTree(log, size=size)
    except BadProof:  # the record holds fewer entries
        raise BadRequest(reason="bad_range", first=first, last=size) from None


def _posted_json(request: HttpRequest) -> Any:
    if len(request.body) > MAX_POST_BYTES:
        raise RequestTooLarge(limit=MAX_POST_BYTES)
    try:
        return json.loads(request.body)
    except (ValueError, RecursionError):  # not JSON or UTF-8, too many digits, or nested too deep
        raise BadRequest(reason="not_json") from None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def cosignatures(request: HttpRequest, log: str) -> JsonResponse:
    """GET: the cosignatures kept for this record; POST: a witness hands one in (checked first)."""
    try:
        if request.method == "POST":
            posted = _posted_json(request)
            if not isinstance(posted, dict):
                raise BadRequest(reason="not_an_object")
            checkpoint_raw = str(posted.get("checkpoint", "")).encode("utf-8")
            cosigned = do_store_cosignature(
                checkpoint_raw, str(posted.get("cosignature", "")).encode("utf-8")
            )
            if cosigned.log != log:
                raise BadRequest(reason="wrong_log")
            return JsonResponse({"stored": True}, status=201)
        size = request.GET.get("size")
        items = q.list_cosignature_bytes(log, size=_ascii_int(size, "size") if size else None)
    except DomainError as exc:
        return _domain_error(exc)
    return JsonResponse(
        {"cosignatures": [{"checkpoint": c.decode(), "cosignature": s.decode()} for c, s in items]}
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest) -> JsonResponse:
    """GET: a page of the evidence this node holds (`?log=`, `?after=` the page's `next`, `?limit=`);
    POST: a peer passes evidence on (verified first)."""
    if request.method == "POST":
        if len(request.body) > MAX_POST_BYTES:
            return _error(413, "request_too_large", limit=MAX_POST_BYTES)
        try:
            stored = do_store_evidence(request.body, source=client_address(request))
        except DomainError as exc:
            return _domain_error(exc)
        return JsonResponse({"stored": stored is not None}, status=201 if stored is not None else 200)
    try:
        after = _int_arg(request, "after", default=0)
        limit = min(max(_int_arg(request, "limit", default=EVIDENCE_PAGE), 1), MAX_EVIDENCE_PAGE)
    except DomainError as exc:
        return _domain_error(exc)
    items, following = q.list_evidence_page(request.GET.get("log") or None, after=after, limit=limit)
    return JsonResponse(
        {
            "next": None if following is None else str(following),
            "evidence": [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "log": e.log,
                    "node": e.node,
                    "seq": e.seq,
                    "evidence": e.raw.decode("utf-8"),
                }
                for e in items
            ],
        }
    )
