"""The catalogue of an assembly's acts: each act's name, record type, typed fields and body builder.

Every entry is derived from an act kind's class (core/assembly/acts.py) and its forms, except the
founding's, which names the record and has its own routes (`Act.catalogued`). The API and the
CLI are both built from `ACT_KINDS`, so they offer the same acts with the same fields, and a client
builds the same canonical body the node parses. This module needs no database, so the CLI can build its
argument parser from it before Django is set up.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ayllu.core.assembly.acts import Act, ActForm, FieldSpec, Signer, prose_fields, split_body
from ayllu.core.assembly.replay import ACT_KINDS as ACT_CLASSES
from ayllu.core.errors import MalformedBody
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, SignedAct, sign_act


@dataclass(frozen=True, slots=True)
class ActKind:
    """One act of the catalogue: its name for people and tools, its record type, fields and builder."""

    name: str
    type: str
    fields: tuple[FieldSpec, ...]
    build: Callable[..., dict[str, Any]]
    summary: str
    # Acts whose author is not (yet, or no longer with that key) a member.
    by_non_member: bool = False
    # Acts that wait outside the record until a member's act takes them in (decision 0011).
    waits: bool = False

    def body(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The act's body content from its field values (unset optional fields left out)."""
        given = {f.name: values[f.name] for f in self.fields if values.get(f.name) is not None}
        return self.build(**given)


def _from_class(cls: type[Act]) -> list[ActKind]:
    """The catalogue's entries for one act class: the act itself, and its other forms."""

    def build(**values: Any) -> dict[str, Any]:
        # Only the body's shape: the node parses and checks it when it replays the act.
        return cls(**{attributes[name]: value for name, value in values.items()}).content()

    attributes = {spec.name: spec.attribute for spec in cls.fields()}
    by_non_member, waits = cls.signer is Signer.NON_MEMBER, cls.waits_outside
    kinds = [ActKind(cls.name, cls.type, cls.fields(), build, cls.summary, by_non_member, waits)]
    for form in cls.forms:

        def build_form(form: ActForm = form, **values: Any) -> dict[str, Any]:
            return form.build(**values).content()

        kinds.append(
            ActKind(
                form.name, cls.type, form.fields, build_form, form.summary, by_non_member, cls.waits_outside
            )
        )
    return kinds


# The subjects of cargos, mandates, recall and draws (docs/cargos.md): their kinds, which tests walk.
CARGO_SUBJECTS = ("ayllu.core.cargos", "ayllu.core.mandates", "ayllu.core.sortition")

# Acts written by their own routes (the founding) are left out (`Act.catalogued`).
ACT_KINDS: dict[str, ActKind] = {
    kind.name: kind for cls in ACT_CLASSES.values() if cls.catalogued for kind in _from_class(cls)
}

CARGO_KINDS: tuple[ActKind, ...] = tuple(
    kind for kind in ACT_KINDS.values() if ACT_CLASSES[kind.type].__module__.startswith(CARGO_SUBJECTS)
)

# The words of each act type (its prose fields), which a client writes apart from the rule data
# (docs/record-format.md, section 13): the browser's act forms split a body by these.
PROSE_FIELDS: dict[str, list[str]] = {
    type: sorted(prose_fields(cls)) for type, cls in ACT_CLASSES.items() if cls.catalogued
}

# The record types a key that is not a member's may sign (applying to join, claiming a lost key).
NON_MEMBER_TYPES = frozenset(kind.type for kind in ACT_KINDS.values() if kind.by_non_member)


def build_act_body(kind: ActKind, values: Mapping[str, Any], *, vis: str = "public") -> Body:
    """The canonical body of an act from its field values; raise MalformedBody when it cannot be one.

    Written in format 2: the public rule data, carrying the words (`Body.words`) under `vis`.
    """
    try:
        content = kind.body(values)
    except (TypeError, ValueError) as exc:
        raise MalformedBody(reason="fields", kind=kind.name, problem=str(exc)) from None
    return split_body(ACT_CLASSES[kind.type], content, vis=vis)


def sign_kind(
    keypair: Keypair, log: str, *, kind: ActKind, values: Mapping[str, Any], nonce: str, vis: str = "public"
) -> tuple[SignedAct, Body]:
    """Sign an act of the catalogue as `keypair` (on the member's own machine: the CLI, tests, benches)."""
    body = build_act_body(kind, values, vis=vis)
    return sign_act(keypair, log=log, type=kind.type, body=body, nonce=nonce), body
