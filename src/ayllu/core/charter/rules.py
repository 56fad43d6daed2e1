"""The charter: an assembly's rules as data, validated, versioned and rendered as plain language.

The charter travels in the founding body and in charter-amendment proposals as canonical JSON (ints and
strings only; shares as "num/den"). `parse_charter` validates it into a frozen `Charter` or raises
`InvalidCharter` naming the field. docs/charter.md is the reference for every setting.
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from typing import Any

from ayllu.core.assembly.rule_errors import InvalidCharter, ThresholdOutOfReach

# Kinds of matter. "choice" picks among options; every other matter is a yes/no question.
MATTERS = (
    "ordinary",
    "choice",
    "admission",
    "charter_amendment",
    "suspension",
    "reinstatement",
    "key_replacement",
    "cargo_assignment",
    "recall",
    "amendment",
)
# Matters of the cargo rules (issue 4). A charter may leave them out: they are then decided by the
# method of the matter named here, so charters written before them stay valid.
OPTIONAL_MATTERS = {
    "cargo_creation": "cargo_assignment",
    "exemption": "cargo_assignment",
    "mandate": "ordinary",
    "erasure": "suspension",
    "resolution": "ordinary",
    "ratification": "ordinary",
}
BINARY_METHODS = ("majority", "consent", "consensus")
CHOICE_METHODS = ("approval", "ranked")
BASES = ("cast", "yes_no", "eligible")
COMPARISONS = ("more_than", "at_least")
QUORUM_BASES = ("members", "households")
MAX_SETTING = 10**12
DAY_MS = 24 * 3600 * 1000

_LOG_RE = re.compile(r"[0-9a-f]{64}")
_SHARE_RE = re.compile(r"([1-9][0-9]{0,5})/([1-9][0-9]{0,5})")


# Counts of members the charter asks for (docs/decisions/0008): sponsors of an applicant, vouchers for
# a lost device's new key, signatures that convene a meeting, signatures that ask for a recall, and
# cosigners that bring a proposal to a vote. Each is a fixed number; in a charter with a "scaled" block
# each may also shrink with the assembly, to a share of the members who could give it.
COUNTS = ("sponsors", "vouchers", "petition", "recall", "cosigners")
# The member whose key is claimed cannot vouch for it, and a proposer does not cosign their own proposal.
OTHERS_ONLY = ("vouchers", "cosigners")


@dataclass(frozen=True, slots=True)
class MethodSpec:
    """How one kind of matter is decided; `threshold`, `base` and `strict` matter only for majority."""

    method: str
    threshold: Fraction = Fraction(1, 2)
    base: str = "cast"
    strict: bool = True


@dataclass(frozen=True, slots=True)
class Quorum:
    basis: str
    share: Fraction


@dataclass(frozen=True, slots=True)
class CargoRules:
    """The charter's settings for cargos, mandates, recall and concentration (docs/cargos.md)."""

    term_ms: int
    rest_ms: int
    max_per_person: int
    max_per_household: int
    no_consecutive: bool
    when_nobody_eligible: tuple[str, ...]
    recall_signatures: int
    recall_threshold: Fraction
    recall_voting_ms: int
    report_ms: int
    # (name, share) for each concentration threshold the charter sets (CONCENTRATION_LIMITS)
    concentration: tuple[tuple[str, Fraction], ...]


FALLBACK_STEPS = ("relax_rest_period", "ask_assembly")
CONCENTRATION_LIMITS = ("max_gini", "max_top_decile_share", "max_single_share", "min_breadth")


@dataclass(frozen=True, slots=True)
class Charter:
    """A validated charter; `data` is the exact canonical form it was parsed from."""

    data: dict[str, Any]
    quorum: Quorum
    participation: Quorum
    methods: dict[str, MethodSpec]
    fallback: MethodSpec
    consent_rounds: int
    consensus_rounds: int
    consensus_blocks: int
    async_deliberation_ms: int
    meeting_deliberation_ms: int
    min_voting_ms: int
    tabling_cosigners: int
    admission_sponsors: int
    key_vouchers: int
    petition_signatures: int
    speaking_limit_s: int
    cargo: CargoRules
    # (count, share) for each count that shrinks with the assembly (COUNTS); empty without "scaled".
    scaled: tuple[tuple[str, Fraction], ...] = ()
    # Who may hold a copy of the record (charter "record": {"replicas": ...}): "anyone" (format 2 keeps
    # words behind their visibility, rule data readable by every replica), or "members" (not even the
    # pseudonymous rule data leaves members' nodes: no anonymous node is served it or mirrors it).
    replicas: str = "anyone"
    # How many panels a draw's lottery lists (charter "sortition": {"panels": N}, at most DRAW_PANELS_MAX):
    # more panels keep each person's chance closer to the fair LEXIMIN one (docs/sortition.md). None:
    # the charter says nothing, and whoever prepares a draw uses DRAW_PANELS_DEFAULT.
    draw_panels: int | None = None
    # A federation's own rules (charter "federation": {...}): its members are assemblies, each seated by
    # delegates citing their home assembly's credential (docs/federation-bodies.md). None: an assembly.
    federation: "FederationRules | None" = None

    def panels_for_draws(self) -> int:
        """How many panels a draw's lottery lists under this charter."""
        return DRAW_PANELS_DEFAULT if self.draw_panels is None else self.draw_panels

    def method_for(self, matter: str) -> MethodSpec:
        return self.methods[matter]

    def fixed_count(self, name: str) -> int:
        """The number the charter writes for count `name` (0: the route is a decision, not a count)."""
        return {
            "sponsors": self.admission_sponsors,
            "vouchers": self.key_vouchers,
            "petition": self.petition_signatures,
            "recall": self.cargo.recall_signatures,
            "cosigners": self.tabling_cosigners,
        }[name]

    def needed(self, name: str, *, members: int) -> int:
        """How many members count `name` asks for in an assembly of `members` active members: the fixed
        number, or, when it scales, its share of those who could give it (at least one, never more)."""
        fixed = self.fixed_count(name)
        share = dict(self.scaled).get(name)
        if not fixed or share is None:
            return fixed
        return min(fixed, max(1, ceil(share * could_give(name, members=members))))


def could_give(name: str, *, members: int) -> int:
    """How many of `members` active members could give count `name` (at least one)."""
    return max(1, members - 1) if name in OTHERS_ONLY else max(1, members)


def check_within_reach(charter: Charter, *, members: int, before: Charter | None = None) -> None:
    """Raise ThresholdOutOfReach when a count asks for more members than could ever give it.

    Charters written without a "scaled" block (before decision 0008) are kept as they were: the check
    applies when the charter, or the one it replaces, has the block.
    """
    if "scaled" not in charter.data and (before is None or "scaled" not in before.data):
        return
    for name in COUNTS:
        needed, could = charter.needed(name, members=members), could_give(name, members=members)
        if needed > could:
            raise ThresholdOutOfReach(reason=name, needed=needed, members=could)


def parse_share(text: object, *, field: str) -> Fraction:
    """Parse a "num/den" share in (0, 1]."""
    match = _SHARE_RE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidCharter(field=field, value=text)
    share = Fraction(int(match[1]), int(match[2]))
    if share > 1:
        raise InvalidCharter(field=field, value=text)
    return share


def _obj(data: object, field: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidCharter(field=field)
    return data


def _int(data: dict[str, Any], key: str, field: str, *, low: int = 0) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_SETTING:
        raise InvalidCharter(field=f"{field}.{key}", value=value)
    return value


def _quorum(data: object, field: str) -> Quorum:
    obj = _obj(data, field)
    if obj.get("basis") not in QUORUM_BASES:
        raise InvalidCharter(field=f"{field}.basis", value=obj.get("basis"))
    return Quorum(obj["basis"], parse_share(obj.get("share"), field=f"{field}.share"))


def _method(data: object, field: str, allowed: tuple[str, ...]) -> MethodSpec:
    obj = _obj(data, field)
    method = obj.get("method")
    if method not in allowed:
        raise InvalidCharter(field=f"{field}.method", value=method)
    if method != "majority":
        if set(obj) != {"method"}:
            raise InvalidCharter(field=field, reason="only_majority_has_threshold")
        return MethodSpec(method)
    if set(obj) != {"method", "threshold", "base", "comparison"}:
        raise InvalidCharter(field=field, reason="majority_fields")
    if obj["base"] not in BASES:
        raise InvalidCharter(field=f"{field}.base", value=obj["base"])
    if obj["comparison"] not in COMPARISONS:
        raise InvalidCharter(field=f"{field}.comparison", value=obj["comparison"])
    threshold = parse_share(obj["threshold"], field=f"{field}.threshold")
    return MethodSpec(method, threshold, obj["base"], obj["comparison"] == "more_than")


def _route(data: object, field: str, routes: tuple[str, str], count_key: str) -> int:
    """Parse {"by": routes[0]} (count 0) or {"by": routes[1], count_key: n >= 1}."""
    obj = _obj(data, field)
    if obj == {"by": routes[0]}:
        return 0
    if obj.get("by") == routes[1] and set(obj) == {"by", count_key}:
        return _int(obj, count_key, field, low=1)
    raise InvalidCharter(field=field, value=obj.get("by"))


def effective_threshold(spec: MethodSpec, fallback: MethodSpec) -> Fraction:
    """The share of support a method needs in the end: consent and consensus fall back to `fallback`."""
    return spec.threshold if spec.method == "majority" else fallback.threshold


def parse_charter(data: object) -> Charter:
    """Validate charter data; raise InvalidCharter naming the first bad field."""
    obj = _obj(data, "charter")
    methods_data = _obj(obj.get("methods"), "methods")
    if not set(MATTERS) <= set(methods_data):
        raise InvalidCharter(field="methods", missing=sorted(set(MATTERS) - set(methods_data)))
    unknown = set(methods_data) - set(MATTERS) - set(OPTIONAL_MATTERS)
    if unknown:
        raise InvalidCharter(field="methods", unknown=sorted(unknown))
    methods = {
        matter: _method(
            methods_data[matter],
            f"methods.{matter}",
            CHOICE_METHODS if matter == "choice" else BINARY_METHODS,
        )
        for matter in MATTERS
    }
    for matter, default in OPTIONAL_MATTERS.items():
        data = methods_data.get(matter)
        methods[matter] = (
            methods[default] if data is None else _method(data, f"methods.{matter}", BINARY_METHODS)
        )
    fallback = _method(obj.get("fallback"), "fallback", ("majority",))
    amend, ordinary = methods["charter_amendment"], methods["ordinary"]
    if effective_threshold(amend, fallback) <= effective_threshold(ordinary, fallback):
        raise InvalidCharter(field="methods.charter_amendment", reason="not_higher_than_ordinary")
    deliberation = _obj(obj.get("deliberation"), "deliberation")
    rounds = _obj(obj.get("rounds"), "rounds")
    # terms and recall are stored for the cargo rules; only their shape is checked here.
    return Charter(
        data=obj,
        quorum=_quorum(obj.get("quorum"), "quorum"),
        participation=_quorum(obj.get("participation"), "participation"),
        methods=methods,
        fallback=fallback,
        consent_rounds=_int(rounds, "consent", "rounds", low=1),
        consensus_rounds=_int(rounds, "consensus", "rounds", low=1),
        consensus_blocks=_int(obj, "consensus_blocks", "charter", low=1),
        async_deliberation_ms=_int(deliberation, "async_ms", "deliberation"),
        meeting_deliberation_ms=_int(deliberation, "meeting_ms", "deliberation"),
        min_voting_ms=_int(deliberation, "voting_ms", "deliberation"),
        tabling_cosigners=_route(obj.get("tabling"), "tabling", ("any_member", "cosigned"), "cosigners"),
        admission_sponsors=_route(obj.get("admission"), "admission", ("decision", "sponsorship"), "sponsors"),
        key_vouchers=_route(
            obj.get("key_replacement"), "key_replacement", ("decision", "vouching"), "vouchers"
        ),
        petition_signatures=_int(_obj(obj.get("petition"), "petition"), "signatures", "petition", low=1),
        speaking_limit_s=_int(_obj(obj.get("speaking"), "speaking"), "limit_s", "speaking"),
        cargo=_cargo_rules(obj),
        scaled=_scaled(obj),
        replicas=_replicas(obj.get("record")),
        draw_panels=_draw_panels(obj.get("sortition")),
        federation=_federation(obj.get("federation")),
    )


def _scaled(obj: dict[str, Any]) -> tuple[tuple[str, Fraction], ...]:
    """Parse the optional `scaled` block: {count: "num/den"} for counts that shrink with the assembly."""
    if "scaled" not in obj:
        return ()
    scaled = _obj(obj["scaled"], "scaled")
    if set(scaled) - set(COUNTS):
        raise InvalidCharter(field="scaled", unknown=sorted(set(scaled) - set(COUNTS)))
    return tuple(
        (name, parse_share(scaled[name], field=f"scaled.{name}")) for name in COUNTS if name in scaled
    )


REPLICAS = ("anyone", "members")
DRAW_PANELS_DEFAULT = 1000
DRAW_PANELS_MAX = 10_000


def _draw_panels(data: object) -> int | None:
    """The optional `sortition.panels`: how many panels a draw's lottery lists (1 to DRAW_PANELS_MAX)."""
    if data is None:
        return None
    obj = _obj(data, "sortition")
    if set(obj) != {"panels"}:
        raise InvalidCharter(field="sortition", unknown=sorted(set(obj) - {"panels"}))
    panels = _int(obj, "panels", "sortition", low=1)
    if panels > DRAW_PANELS_MAX:
        raise InvalidCharter(field="sortition.panels", value=panels, most=DRAW_PANELS_MAX)
    return panels


@dataclass(frozen=True, slots=True)
class RatificationRules:
    """The weighting a federation's charter chooses for ratifying its resolutions, and the least share a
    resolution may ask: `assemblies` (one assembly one vote), `households_capped` (households as each
    home record states them, at most `cap` per assembly) or `double_majority` (`share` of the assemblies
    holding `households_share` of the households that answered, unless fewer than `blocking` refuse)."""

    rule: str
    share: Fraction
    cap: int = 0
    households_share: Fraction = Fraction(0)
    blocking: int = 0


RATIFICATION_RULES = ("assemblies", "households_capped", "double_majority")
RATIFICATION_FIELDS = {
    "assemblies": {"rule", "share"},
    "households_capped": {"rule", "share", "cap"},
    "double_majority": {"rule", "share", "households_share", "blocking"},
}
DEFAULT_RATIFICATION = RatificationRules("assemblies", Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class PlenaryRules:
    """A federation plenary's quorum: the share of member assemblies present through a seated delegate
    (0: none), judged no sooner than `wait_ms` after the sitting starts unless reached; without it the
    sitting is postponed by `postpone_ms`, and the later sitting needs `second_quorum` (the second call).
    A plenary convened by petition starts between `min_notice_ms` and `max_notice_ms` (0: no bound)
    after the petition completes."""

    quorum: Fraction = Fraction(0)
    second_quorum: Fraction = Fraction(0)
    postpone_ms: int = 30 * DAY_MS
    wait_ms: int = 3_600_000
    min_notice_ms: int = 0
    max_notice_ms: int = 0


DEFAULT_PLENARY = PlenaryRules()


@dataclass(frozen=True, slots=True)
class FederationRules:
    """What a federation's charter says of its members: how many delegates each assembly seats at
    once, and whether an assembly joins by its delegate's seat alone ("open") or not at all after the
    founding ("closed": joining by the federation's decision is not built yet)."""

    delegates_per_assembly: int
    joining: str
    # The federation's offices, each filled by turn among member assemblies (core/federations/offices.py),
    # how many offices one assembly may hold at once, and how many member assemblies' decisions complete
    # an overflow petition (0: more than half of the member assemblies).
    offices: tuple["OfficeSpec", ...] = ()
    offices_per_assembly: int = 1
    petition_assemblies: int = 0
    # How long after a question's deadline it stays open to recalls being cited before it may close
    # (`recall_grace_hours`, default 48; core/federations/recall_cited.py).
    recall_grace_ms: int = 48 * 3_600_000
    # How member assemblies ratify the federation's resolutions (docs/federation-bodies.md).
    ratification: RatificationRules = DEFAULT_RATIFICATION
    # How a plenary's quorum is judged and when it is postponed (core/federations/plenary.py), and how
    # long a member assembly's backing of a petition counts (`petition_days`; 0: it never lapses).
    plenary: PlenaryRules = DEFAULT_PLENARY
    petition_ms: int = 0
    # How long the recall vote that follows a suspension by petition lasts (`recall_vote_days`; 0: no
    # vote, the suspension lasts to the end of the term; core/federations/recall_vote.py).
    recall_vote_ms: int = 0


@dataclass(frozen=True, slots=True)
class OfficeSpec:
    """A federation's office (convenor, delegate to the next level, spokesperson): its term and burden,
    and the higher federation its holder represents this one in (`represents`, a log id; decision 0029),
    if any: the holder has the power `represent_in:<represents>` in this record."""

    office: str
    term_ms: int
    burden: int
    represents: str = ""

    @property
    def powers(self) -> tuple[str, ...]:
        return (f"represent_in:{self.represents}",) if self.represents else ()


PLENARY_FIELDS = {
    "quorum",
    "second_quorum",
    "postpone_days",
    "wait_minutes",
    "min_notice_days",
    "max_notice_days",
}
# "open": an assembly joins by its delegate's first seat; "closed": by the federation's decision and its
# own, cited in (core/federations/joining.py); "closed" admits no seat of a non-member either way.
FEDERATION_JOINING = ("open", "closed")
MAX_DELEGATES_PER_ASSEMBLY = 50
MAX_OFFICES = 12
MAX_OFFICE_BURDEN = 1000
FEDERATION_KEYS = {"delegates_per_assembly", "joining"}
FEDERATION_OPTIONAL_KEYS = {
    "offices",
    "offices_per_assembly",
    "petition_assemblies",
    "recall_grace_hours",
    "ratification",
    "plenary",
    "petition_days",
    "recall_vote_days",
}
_OFFICE_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _federation(data: object) -> FederationRules | None:
    """Parse the optional `federation` block: {"delegates_per_assembly": N, "joining": "open"|"closed"}."""
    if data is None:
        return None
    obj = _obj(data, "federation")
    if not FEDERATION_KEYS <= set(obj) <= FEDERATION_KEYS | FEDERATION_OPTIONAL_KEYS:
        raise InvalidCharter(field="federation", keys=sorted(obj))
    count = _int(obj, "delegates_per_assembly", "federation", low=1)
    if count > MAX_DELEGATES_PER_ASSEMBLY:
        raise InvalidCharter(field="federation.delegates_per_assembly", value=count)
    if obj["joining"] not in FEDERATION_JOINING:
        raise InvalidCharter(field="federation.joining", value=str(obj["joining"]))
    return FederationRules(
        count,
        str(obj["joining"]),
        offices=_offices(obj.get("offices", [])),
        offices_per_assembly=_int(obj, "offices_per_assembly", "federation", low=1)
        if "offices_per_assembly" in obj
        else 1,
        petition_assemblies=_int(obj, "petition_assemblies", "federation", low=1)
        if "petition_assemblies" in obj
        else 0,
        recall_grace_ms=_int(obj, "recall_grace_hours", "federation") * 3_600_000
        if "recall_grace_hours" in obj
        else 48 * 3_600_000,
        ratification=_ratification(obj.get("ratification")),
        plenary=_plenary(obj.get("plenary")),
        petition_ms=_int(obj, "petition_days", "federation", low=1) * DAY_MS if "petition_days" in obj else 0,
        recall_vote_ms=_int(obj, "recall_vote_days", "federation", low=1) * DAY_MS
        if "recall_vote_days" in obj
        else 0,
    )


def _plenary(data: object) -> PlenaryRules:
    """Parse the optional `federation.plenary` block (DEFAULT_PLENARY when absent: no quorum)."""
    if data is None:
        return DEFAULT_PLENARY
    where = "federation.plenary"
    obj = _obj(data, where)
    if not set(obj) <= PLENARY_FIELDS:
        raise InvalidCharter(field=where, keys=sorted(obj))
    shares = {k: parse_share(obj[k], field=f"{where}.{k}") for k in ("quorum", "second_quorum") if k in obj}
    units = {"postpone_days": DAY_MS, "wait_minutes": 60_000}
    units |= {"min_notice_days": DAY_MS, "max_notice_days": DAY_MS}
    spans = {
        k: _int(obj, k, where, low=1 if k == "postpone_days" else 0) * unit
        for k, unit in units.items()
        if k in obj
    }
    plenary = PlenaryRules(
        quorum=shares.get("quorum", Fraction(0)),
        second_quorum=shares.get("second_quorum", Fraction(0)),
        postpone_ms=spans.get("postpone_days", DEFAULT_PLENARY.postpone_ms),
        wait_ms=spans.get("wait_minutes", DEFAULT_PLENARY.wait_ms),
        min_notice_ms=spans.get("min_notice_days", 0),
        max_notice_ms=spans.get("max_notice_days", 0),
    )
    if plenary.max_notice_ms and plenary.max_notice_ms < plenary.min_notice_ms:
        raise InvalidCharter(field=f"{where}.max_notice_days", value=obj["max_notice_days"])
    return plenary


def _offices(data: object) -> tuple[OfficeSpec, ...]:
    """Parse `federation.offices`: [{"office": name, "term_days": D, "burden": B}, ...], names unique."""
    if not isinstance(data, list) or len(data) > MAX_OFFICES:
        raise InvalidCharter(field="federation.offices")
    offices: list[OfficeSpec] = []
    for item in data:
        obj = _obj(item, "federation.offices")
        name = obj.get("office")
        keys = {"office", "term_days", "burden"}
        if not keys <= set(obj) <= keys | {"represents"} or not isinstance(name, str):
            raise InvalidCharter(field="federation.offices", keys=sorted(obj))
        represents = obj.get("represents", "")
        if "represents" in obj and not (isinstance(represents, str) and _LOG_RE.fullmatch(represents)):
            raise InvalidCharter(field="federation.offices.represents", value=str(represents)[:80])
        if not _OFFICE_RE.fullmatch(name) or any(o.office == name for o in offices):
            raise InvalidCharter(field="federation.offices.office", value=name)
        days = _int(obj, "term_days", "federation.offices", low=1)
        burden = _int(obj, "burden", "federation.offices", low=1)
        if days * DAY_MS > MAX_SETTING or burden > MAX_OFFICE_BURDEN:
            raise InvalidCharter(field="federation.offices", term_days=days, burden=burden)
        offices.append(OfficeSpec(name, days * DAY_MS, burden, represents))
    return tuple(offices)


def _ratification(data: object) -> RatificationRules:
    """Parse the optional `federation.ratification` block (DEFAULT_RATIFICATION when absent)."""
    if data is None:
        return DEFAULT_RATIFICATION
    where = "federation.ratification"
    obj = _obj(data, where)
    rule = obj.get("rule")
    if rule not in RATIFICATION_RULES:
        raise InvalidCharter(field=f"{where}.rule", value=rule)
    if set(obj) != RATIFICATION_FIELDS[rule]:
        raise InvalidCharter(field=where, keys=sorted(obj))
    share = parse_share(obj["share"], field=f"{where}.share")
    if rule == "households_capped":
        return RatificationRules(rule, share, cap=_int(obj, "cap", where, low=1))
    if rule == "double_majority":
        households = parse_share(obj["households_share"], field=f"{where}.households_share")
        blocking = _int(obj, "blocking", where, low=1)
        return RatificationRules(rule, share, households_share=households, blocking=blocking)
    return RatificationRules(rule, share)


def _replicas(data: object) -> str:
    """Who may hold a copy of the record: the optional `record.replicas` ("anyone" when absent)."""
    if data is None:
        return "anyone"
    obj = _obj(data, "record")
    if set(obj) != {"replicas"} or obj["replicas"] not in REPLICAS:
        raise InvalidCharter(field="record.replicas", value=str(obj.get("replicas")))
    return str(obj["replicas"])


def _cargo_rules(obj: dict[str, Any]) -> CargoRules:
    """Parse `terms`, `recall` and the optional `cargos` and `concentration` blocks."""
    terms = _obj(obj.get("terms"), "terms")
    for key in ("term_days", "rest_terms", "max_concurrent"):
        _int(terms, key, "terms", low=1 if key != "rest_terms" else 0)
    recall = _obj(obj.get("recall"), "recall")
    cargos = _obj(obj.get("cargos", {}), "cargos")
    extra = set(cargos) - {"max_per_household", "consecutive", "when_nobody_eligible", "report_days"}
    if extra:
        raise InvalidCharter(field="cargos", unknown=sorted(extra))
    consecutive = cargos.get("consecutive", "forbidden")
    if consecutive not in ("forbidden", "allowed"):
        raise InvalidCharter(field="cargos.consecutive", value=consecutive)
    steps = cargos.get("when_nobody_eligible", list(FALLBACK_STEPS))
    # Never "nobody": whatever the charter tries first, the last word belongs to the assembly.
    if (
        not isinstance(steps, list)
        or not steps
        or steps[-1] != "ask_assembly"
        or any(s not in FALLBACK_STEPS for s in steps)
        or len(set(steps)) != len(steps)
    ):
        raise InvalidCharter(field="cargos.when_nobody_eligible", value=steps)
    limits = _obj(obj.get("concentration", {}), "concentration")
    if set(limits) - set(CONCENTRATION_LIMITS):
        raise InvalidCharter(field="concentration", unknown=sorted(set(limits) - set(CONCENTRATION_LIMITS)))
    term_ms = terms["term_days"] * DAY_MS
    return CargoRules(
        term_ms=term_ms,
        rest_ms=terms["rest_terms"] * term_ms,
        max_per_person=terms["max_concurrent"],
        max_per_household=(
            _int(cargos, "max_per_household", "cargos", low=1)
            if "max_per_household" in cargos
            else terms["max_concurrent"]
        ),
        no_consecutive=consecutive == "forbidden",
        when_nobody_eligible=tuple(steps),
        recall_signatures=_int(recall, "petition", "recall", low=1),
        recall_threshold=parse_share(recall.get("threshold"), field="recall.threshold"),
        recall_voting_ms=(
            _int(recall, "voting_ms", "recall")
            if "voting_ms" in recall
            else _int(_obj(obj.get("deliberation"), "deliberation"), "voting_ms", "deliberation")
        ),
        report_ms=(_int(cargos, "report_days", "cargos", low=1) if "report_days" in cargos else 7) * DAY_MS,
        concentration=tuple(
            (name, parse_share(limits[name], field=f"concentration.{name}"))
            for name in CONCENTRATION_LIMITS
            if name in limits
        ),
    )


def default_charter_data() -> dict[str, Any]:
    """A reasonable starting charter that founders are expected to adapt."""
    majority = {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"}
    qualified = {"method": "majority", "threshold": "2/3", "base": "yes_no", "comparison": "at_least"}
    return {
        "quorum": {"basis": "households", "share": "1/3"},
        "participation": {"basis": "members", "share": "1/4"},
        "methods": {
            "ordinary": {"method": "consent"},
            "choice": {"method": "ranked"},
            "admission": dict(majority),
            "charter_amendment": {**qualified, "threshold": "3/4"},
            "suspension": dict(qualified),
            "reinstatement": dict(majority),
            "key_replacement": dict(majority),
            "cargo_assignment": dict(majority),
            "recall": dict(majority),
            "amendment": dict(majority),
        },
        "fallback": dict(qualified),
        "rounds": {"consent": 2, "consensus": 2},
        "consensus_blocks": 1,
        "deliberation": {"async_ms": 3 * DAY_MS, "meeting_ms": 10 * 60 * 1000, "voting_ms": 2 * DAY_MS},
        "tabling": {"by": "any_member"},
        "admission": {"by": "sponsorship", "sponsors": 2},
        "key_replacement": {"by": "vouching", "vouchers": 3},
        "petition": {"signatures": 5},
        "speaking": {"limit_s": 180},
        "terms": {"term_days": 90, "rest_terms": 1, "max_concurrent": 1},
        "recall": {"petition": 5, "threshold": "1/2"},
    }


# The shares of `scaled` a founding proposes: half of the members who could sign, sponsor or cosign,
# two thirds of those who could vouch, never more than the charter's numbers (decision 0008).
SCALED_SHARES = {"sponsors": "1/2", "vouchers": "2/3", "petition": "1/2", "recall": "1/2", "cosigners": "1/2"}


def founding_charter_data() -> dict[str, Any]:
    """The charter a new assembly starts with: the default one, with counts that shrink with the
    assembly so that a small one is never stuck short of signatures, sponsors or vouchers."""
    return {**default_charter_data(), "scaled": dict(SCALED_SHARES)}
