"""Request and response schemas of the API; act requests are made from the catalogue in actions.assembly.

Types are strict (a number is never a string and the reverse), so a wrong type is a 422 before anything
is built. Lengths are not limited here: the core's limits answer with `text_too_long` (413), so the API
and every replica refuse the same texts.
"""

from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StrictInt, StrictStr, create_model

from ayllu.actions import catalogue
from ayllu.core.assembly import acts

MAX_SAFE_INT = 2**53 - 1  # canonical JSON's integers (RFC 8785)

HexKey = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$", description="hex Ed25519 public key")]
HexSig = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{128}$", description="hex Ed25519 signature")]
Nonce = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Log = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="the record's id")]
# Path parameters arrive as text: an id there is parsed from digits, never given as a JSON number.
PathId = Annotated[int, Field(ge=1, le=MAX_SAFE_INT, description="the seq of the entry that made it")]
PathKey = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="hex Ed25519 public key")]
Id = Annotated[StrictInt, Field(ge=1, le=MAX_SAFE_INT, description="the seq of the entry that made it")]
Time = Annotated[StrictInt, Field(ge=0, le=MAX_SAFE_INT, description="ms since the epoch")]
Number = Annotated[StrictInt, Field(ge=0, le=MAX_SAFE_INT, description="a whole number")]
Hex32 = Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$", description="32 bytes, hex")]
PathName = Annotated[str, Field(pattern=r"^[^/]{1,64}$", description="a name (a cargo, a household)")]
Visibility = Literal["public", "members", "confidential"]

FIELD_TYPES: dict[str, Any] = {
    acts.INT_ID: Id,
    acts.TIME: Time,
    acts.TITLE: StrictStr,
    acts.TEXT: StrictStr,
    acts.NAME: StrictStr,
    acts.KEY: HexKey,
    acts.CHOICE: StrictStr | list[StrictStr],
    acts.OPTIONS: list[StrictStr],
    acts.OBJECT: dict[str, Any],
    acts.NUMBER: Number,
    acts.HEX: Hex32,
    acts.LIST: list[Any],
}


PATH_TYPES: dict[str, Any] = {acts.INT_ID: PathId, acts.KEY: PathKey, acts.NAME: PathName}


class SignedFields(Schema):
    """What every act request carries besides its own fields: who signed, the nonce, the signature."""

    author: HexKey
    nonce: Nonce
    asig: HexSig
    vis: Visibility = "public"


def act_request_schema(kind: catalogue.ActKind, *, in_path: tuple[str, ...]) -> type[SignedFields]:
    """The request body of one act: its fields not taken from the path, plus author, nonce, asig."""
    fields: dict[str, Any] = {}
    for field in kind.fields:
        if field.name in in_path:
            continue
        annotation = FIELD_TYPES[field.kind]
        info = Field(description=field.help) if field.required else Field(None, description=field.help)
        fields[field.name] = (annotation if field.required else annotation | None, info)
    name = "".join(part.title() for part in kind.name.split("-")) + "In"
    model: type[SignedFields] = create_model(name, __base__=SignedFields, __doc__=kind.summary, **fields)
    return model


class WaitingOut(Schema):
    """A stranger's act waiting outside the record until a member takes it in (decision 0011)."""

    log: str
    act: str
    type: str
    author: str
    received: int
    expires: int
    waiting: bool = True
    duplicate: bool = False  # true: the act was already waiting (a resend), answered as the first time


class ReceiptOut(Schema):
    """The node's signed receipt: it promises entry `entry` sits at `seq` of record `log`."""

    log: str
    seq: int
    entry: str
    time: int
    node: str
    receipt: str


class RetriedReceiptOut(ReceiptOut):
    """The receipt the act's first submission got: the record already held this very act (a retry)."""

    duplicate: bool = True


class SignedActIn(Schema):
    act: dict[str, Any] = Field(description="v, log, type, author, vis, body (hash), nonce")
    body: StrictStr = Field(description="the body's canonical JSON text (format 2: the public rule data)")
    words: StrictStr | None = Field(
        default=None, description="format 2: the canonical JSON text of the act's words, under its vis"
    )
    asig: HexSig


class FounderIn(Schema):
    key: HexKey
    household: StrictStr


class CargoIn(Schema):
    cargo: StrictStr
    holder: HexKey
    until: Time


class EndorsementIn(Schema):
    key: HexKey
    sig: HexSig


class FoundingIn(Schema):
    """The founding content, every founder's endorsement of it, and the founding act's signature."""

    name: StrictStr
    founded_at: Time
    charter: dict[str, Any]
    founders: list[FounderIn]
    cargos: list[CargoIn] = []
    endorsements: list[EndorsementIn]
    author: HexKey
    nonce: Nonce
    asig: HexSig


class CharterMessageOut(Schema):
    id: str
    params: dict[str, int | str]
    text: str


class CharterOut(Schema):
    data: dict[str, Any]
    version: int
    versions: list[int]
    messages: list[CharterMessageOut]
