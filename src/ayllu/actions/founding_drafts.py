"""Founding drafts: an assembly is founded by several people, each signing on their own device.

The founding body names every founder's key and carries every founder's endorsement, and the record's
id is derived from that body, so a founding is prepared in steps on the node before any record exists:

1. the first founder opens a draft (name, the default charter, one household per founder) and gets one
   secret link per founder; a federation's draft adds the charter's `federation` block and names each
   founder by their assembly's log id in place of a household (docs/federation-bodies.md);
2. each founder creates a device key for this draft and files its public half (`check_file_key`);
   when every founder has, the content is frozen (with `founded_at` and the first founder as convenor);
3. each founder endorses the frozen content: ENDORSE_CONTEXT || canonical(content) (`check_endorse`);
4. the first founder signs the founding act, whose log id is now known (`check_sign_founding`), and
   only then is the record created, by the same write as every founding (`check_found_assembly`).

A draft is node state, not record: it is kept in FoundingDraft/FoundingSeat rows and tied to this node's
key, so a draft made on another node is not found here. A draft in which no founder took a step for
AYLLU_FOUNDING_DRAFT_DAYS has expired: reading it raises DraftExpired, and it is deleted when the next
draft is opened or by `ayllu prune-drafts` (`do_prune_drafts`).
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from ayllu.core.assembly.bodies import MAX_ID, MAX_TITLE
from ayllu.core.assembly.texts import check_names, check_not_look_alike, check_texts
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content
from ayllu.core.charter.rules import founding_charter_data, parse_charter
from ayllu.core.errors import DomainError
from ayllu.core.federations.errors import NotAnAssemblyId
from ayllu.core.ledger.canonical import canonical_bytes
from ayllu.core.ledger.checkpoints import Receipt
from ayllu.core.ledger.keys import (
    ENDORSE_CONTEXT,
    HEX_KEY_LENGTH,
    HEX_SIGNATURE_LENGTH,
    is_hex,
    verify_signature,
)
from ayllu.core.ledger.record import Act, log_id_for
from ayllu.storage import clock, models

from .assembly import check_found_assembly
from .rate_limits import AnonymousWrite, check_anonymous_write
from .record import node_keypair

MAX_FOUNDERS = 20
DAY_MS = 24 * 3600 * 1000
FOUNDING_NONCE = "founding"


class DraftError(DomainError):
    code = "draft_error"


class DraftNotFound(DraftError):
    code = "draft_not_found"
    status = 404


class DraftExpired(DraftError):
    """No founder took a step in the draft for AYLLU_FOUNDING_DRAFT_DAYS: it is closed."""

    code = "draft_expired"
    status = 410


class DraftInvalid(DraftError):
    code = "draft_invalid"


class DraftKeyInUse(DraftError):
    code = "draft_key_in_use"


class DraftSeatTaken(DraftError):
    code = "draft_seat_taken"


class DraftNotReady(DraftError):
    code = "draft_not_ready"


class DraftBadEndorsement(DraftError):
    code = "draft_bad_endorsement"


class DraftNotFirstFounder(DraftError):
    code = "draft_not_first_founder"


@dataclass(frozen=True)
class Seat:
    position: int
    household: str
    token: str
    key: str
    sig: str


@dataclass(frozen=True)
class Draft:
    draft: str
    name: str
    charter: dict[str, Any]
    content: str
    log: str
    seats: tuple[Seat, ...]

    @property
    def federation(self) -> bool:
        """True for a federation's draft: its founders are named by their assemblies' log ids."""
        return "federation" in self.charter

    @property
    def step(self) -> str:
        """Where the founding stands: keys, endorsements, signing, founded."""
        if self.log:
            return "founded"
        if not self.content:
            return "keys"
        if not all(seat.sig for seat in self.seats):
            return "endorsements"
        return "signing"

    def seat(self, token: str) -> Seat:
        """The seat whose secret link token is `token`; raise DraftNotFound for any other token."""
        for seat in self.seats:
            if secrets.compare_digest(seat.token, token):
                return seat
        raise DraftNotFound(draft=self.draft)


def draft_lifetime() -> timedelta:
    """How long a draft lasts after the last step any founder took in it."""
    return timedelta(days=int(settings.AYLLU_FOUNDING_DRAFT_DAYS))


def do_prune_drafts(*, moment: datetime | None = None) -> int:
    """Delete the drafts (and their seats) that expired by `moment` (default: now); return how many."""
    cutoff = (moment or clock.now_datetime()) - draft_lifetime()
    expired = models.FoundingDraft.objects.filter(touched__lt=cutoff)
    with transaction.atomic():
        count = expired.count()
        expired.delete()
    return count


def _touch(draft: str) -> None:
    models.FoundingDraft.objects.filter(draft=draft).update(touched=clock.now_datetime())


def check_open_draft(
    name: str,
    *,
    households: list[str],
    address: str,
    request: str = "",
    federation: dict[str, Any] | None = None,
) -> Draft:
    """Open a draft as anyone asks from the founding page: checked first, then counted against the
    client's `address` (rate_limits.AnonymousWrite.FOUNDING_DRAFT) only when a new draft is opened.

    With `federation` (the charter's `federation` block), the draft founds a federation: `households`
    are the founding assemblies' log ids, one per founder (NotAnAssemblyId otherwise), and a block the
    charter's rules refuse raises InvalidCharter, before anything is written.

    `request` is the opening form's nonce (made with the page): the same form sent again with the same
    name and households (a double click, a resend after a lost answer) answers the draft it opened,
    uncounted. A refused opening (a name the policy refuses, no household) is not counted either: it
    writes nothing.
    """
    name, households = _checked(name, households, federation=federation)
    key = _request_key(request, name, households, federation)
    if key:
        row = models.FoundingDraft.objects.filter(request=key, node=node_keypair().public).first()
        if row is not None:
            try:
                return get_draft(row.draft)
            except DraftExpired:
                pass  # long gone: a new draft, counted
    check_anonymous_write(AnonymousWrite.FOUNDING_DRAFT, address=address)
    return do_open_draft(name, households=households, request=key, federation=federation)


def _request_key(request: str, name: str, households: list[str], federation: dict[str, Any] | None) -> str:
    if not request:
        return ""
    asked = json.dumps([request, name, households, *([federation] if federation else [])], ensure_ascii=False)
    return hashlib.sha256(asked.encode("utf-8", "surrogatepass")).hexdigest()


def _charter(federation: dict[str, Any] | None) -> dict[str, Any]:
    """The charter a draft starts with: the founding one, with a federation's block if it has one."""
    charter = founding_charter_data()
    return charter if federation is None else {**charter, "federation": federation}


def _checked(
    name: str, households: list[str], *, federation: dict[str, Any] | None = None
) -> tuple[str, list[str]]:
    """`name` and `households` trimmed, once they may open a draft; raise DraftInvalid or the text
    policy's refusal otherwise (for a federation, NotAnAssemblyId or InvalidCharter)."""
    name = name.strip()
    households = [h.strip() for h in households if h.strip()]
    if not name or len(name) > MAX_TITLE:
        raise DraftInvalid(field="name")
    if not households or len(households) > MAX_FOUNDERS:
        raise DraftInvalid(field="households", count=len(households))
    too_long = [h for h in households if len(h) > MAX_ID]
    if too_long:
        raise DraftInvalid(field="households", household=too_long[0])
    if federation is not None:
        parse_charter(_charter(federation))
        for position, assembly in enumerate(households):
            if not is_hex(assembly, HEX_KEY_LENGTH):
                raise NotAnAssemblyId(position=position, assembly=assembly)
        check_texts({"name": name})
        check_names([("name", name)])
        return name, households
    check_texts({"name": name, "households": households})
    check_names([("name", name), *((f"households[{i}]", h) for i, h in enumerate(households))])
    check_not_look_alike(((f"households[{i}]", h) for i, h in enumerate(households)), existing=())
    return name, households


def do_open_draft(
    name: str, *, households: list[str], request: str = "", federation: dict[str, Any] | None = None
) -> Draft:
    """Open a draft for `name` with one seat per household (the first is the first founder's); with
    `federation`, a federation's draft whose households are the founding assemblies' log ids."""
    name, households = _checked(name, households, federation=federation)
    do_prune_drafts()
    with transaction.atomic():
        draft = models.FoundingDraft.objects.create(
            draft=secrets.token_urlsafe(12),
            node=node_keypair().public,
            name=name,
            charter=_charter(federation),
            request=request,
        )
        for position, household in enumerate(households):
            models.FoundingSeat.objects.create(
                founding=draft, position=position, household=household, token=secrets.token_urlsafe(16)
            )
    return get_draft(draft.draft)


def get_draft(draft: str) -> Draft:
    """The draft named `draft` made on this node; raise DraftNotFound otherwise, DraftExpired if stale."""
    row = models.FoundingDraft.objects.filter(draft=draft, node=node_keypair().public).first()
    if row is None:
        raise DraftNotFound(draft=draft)
    if clock.now_datetime() - row.touched > draft_lifetime():
        raise DraftExpired(draft=draft, days=draft_lifetime().days)
    seats = tuple(
        Seat(s.position, s.household, s.token, s.key, s.sig) for s in row.seats.order_by("position")
    )
    return Draft(row.draft, row.name, row.charter, row.content, row.log, seats)


def founding_content(draft: Draft) -> dict[str, Any]:
    """The frozen content every founder endorses; raise DraftNotReady before every key is filed."""
    if not draft.content:
        raise DraftNotReady(draft=draft.draft, step=draft.step)
    value: dict[str, Any] = json.loads(draft.content)
    return value


def check_file_key(draft_id: str, token: str, *, key: str) -> Draft:
    """File a founder's device key; the content is frozen once every founder has filed theirs."""
    draft = get_draft(draft_id)
    seat = draft.seat(token)
    if not is_hex(key, HEX_KEY_LENGTH):
        raise DraftInvalid(field="key")
    if seat.key == key:
        return draft
    if seat.key or draft.step != "keys":
        raise DraftSeatTaken(draft=draft_id, position=seat.position)
    if any(other.key == key for other in draft.seats):
        raise DraftKeyInUse(key=key)
    seats = models.FoundingSeat.objects.filter(founding__draft=draft_id)
    with transaction.atomic():
        if not seats.filter(position=seat.position, key="").update(key=key):
            raise DraftSeatTaken(draft=draft_id, position=seat.position)
        if seats.filter(key=key).count() > 1:
            raise DraftKeyInUse(key=key)  # filed at the same moment for two seats: undone by the rollback
        _touch(draft_id)
    draft = get_draft(draft_id)
    if all(s.key for s in draft.seats):
        _freeze(draft)
    return get_draft(draft_id)


def _freeze(draft: Draft) -> None:
    founded_at = clock.now_ms()
    first = draft.seats[0].key
    term_ms = int(draft.charter["terms"]["term_days"]) * DAY_MS
    # An assembly's first founder convenes it for a term; a federation's offices go by turn among its
    # member assemblies, filled after the founding (core/federations/offices.py): no founding cargo.
    federation = "federation" in draft.charter
    content = build_founding_content(
        draft.name,
        founded_at=founded_at,
        charter=draft.charter,
        founders=[(s.key, s.household) for s in draft.seats],
        cargos=[] if federation else [("convenor", first, founded_at + term_ms)],
    )
    text = canonical_bytes(content).decode()
    # Only the first freeze counts: founders may file their last keys at the same moment.
    models.FoundingDraft.objects.filter(draft=draft.draft, content="").update(content=text)


def check_endorse(draft_id: str, token: str, *, sig: str) -> Draft:
    """Keep a founder's endorsement of the frozen content once it verifies against their filed key."""
    draft = get_draft(draft_id)
    seat = draft.seat(token)
    if draft.step != "endorsements" and not (draft.step == "signing" and seat.sig == sig):
        raise DraftNotReady(draft=draft_id, step=draft.step)
    message = canonical_bytes(founding_content(draft))
    if not is_hex(sig, HEX_SIGNATURE_LENGTH) or not verify_signature(seat.key, ENDORSE_CONTEXT, message, sig):
        raise DraftBadEndorsement(draft=draft_id, key=seat.key)
    models.FoundingSeat.objects.filter(founding__draft=draft_id, position=seat.position).update(sig=sig)
    _touch(draft_id)
    return get_draft(draft_id)


def founding_act(draft: Draft) -> Act:
    """The founding act the first founder signs, once every founder has endorsed the content."""
    if draft.step not in ("signing", "founded"):
        raise DraftNotReady(draft=draft.draft, step=draft.step)
    body = build_founding_body(founding_content(draft), _endorsements(draft))
    return Act(
        log=log_id_for(body),
        type=FOUNDED,
        author=draft.seats[0].key,
        vis=body.vis,
        body=body.hash,
        nonce=FOUNDING_NONCE,
    )


def _endorsements(draft: Draft) -> list[dict[str, str]]:
    return [{"key": s.key, "sig": s.sig} for s in draft.seats]


def check_sign_founding(draft_id: str, token: str, *, asig: str) -> Receipt:
    """Found the assembly with the first founder's signature over the founding act; create its record."""
    draft = get_draft(draft_id)
    if draft.seat(token).position != 0:
        raise DraftNotFirstFounder(draft=draft_id)
    act = founding_act(draft)
    if draft.step == "founded":
        raise DraftNotReady(draft=draft_id, step=draft.step, log=draft.log)
    receipt = check_found_assembly(
        founding_content(draft),
        endorsements=_endorsements(draft),
        author=act.author,
        nonce=act.nonce,
        asig=asig,
    ).receipt
    models.FoundingDraft.objects.filter(draft=draft_id).update(log=act.log, touched=clock.now_datetime())
    return receipt
