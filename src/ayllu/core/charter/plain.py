"""The charter in plain language, as message ids with parameters; the web layer translates them.

`render_charter` returns `[(message_id, params), ...]` in reading order. Params are ints and strings
only. Every id is listed with its params in docs/charter.md ("Plain-language messages"); shares come
as `num`/`den` so translations can say "half" or "two thirds" as their language prefers.
"""

from fractions import Fraction

from ayllu.core.charter.rules import DAY_MS, MATTERS, OPTIONAL_MATTERS, Charter, MethodSpec

Message = tuple[str, dict[str, int | str]]


def _share(share: Fraction) -> dict[str, int | str]:
    return {"num": share.numerator, "den": share.denominator}


def _minutes(ms: int) -> int:
    return ms // 60_000


def _method(matter: str, spec: MethodSpec, charter: Charter) -> Message:
    if spec.method == "majority":
        comparison = "more_than" if spec.strict else "at_least"
        return (
            "charter.method.majority",
            {"matter": matter, **_share(spec.threshold), "base": spec.base, "comparison": comparison},
        )
    if spec.method == "consensus":
        return ("charter.method.consensus", {"matter": matter, "blocks": charter.consensus_blocks})
    return (f"charter.method.{spec.method}", {"matter": matter})


def render_charter(charter: Charter) -> list[Message]:
    """Describe every setting of the charter, one message each, in a fixed order."""
    fallback = charter.fallback
    messages: list[Message] = [
        ("charter.sovereignty", {}),
        ("charter.quorum", {"basis": charter.quorum.basis, **_share(charter.quorum.share)}),
        (
            "charter.participation",
            {"basis": charter.participation.basis, **_share(charter.participation.share)},
        ),
    ]
    messages += [_method(matter, charter.methods[matter], charter) for matter in MATTERS]
    messages += [_method(matter, charter.methods[matter], charter) for matter in OPTIONAL_MATTERS]
    messages += [
        ("charter.rounds", {"consent": charter.consent_rounds, "consensus": charter.consensus_rounds}),
        (
            "charter.fallback",
            {
                **_share(fallback.threshold),
                "base": fallback.base,
                "comparison": "more_than" if fallback.strict else "at_least",
            },
        ),
        (
            "charter.deliberation",
            {
                "async_minutes": _minutes(charter.async_deliberation_ms),
                "meeting_minutes": _minutes(charter.meeting_deliberation_ms),
                "voting_minutes": _minutes(charter.min_voting_ms),
            },
        ),
    ]
    if charter.tabling_cosigners:
        messages.append(("charter.tabling.cosigned", {"cosigners": charter.tabling_cosigners}))
    else:
        messages.append(("charter.tabling.any_member", {}))
    if charter.admission_sponsors:
        messages.append(("charter.admission.sponsorship", {"sponsors": charter.admission_sponsors}))
    else:
        messages.append(("charter.admission.decision", {}))
    if charter.key_vouchers:
        messages.append(("charter.key_replacement.vouching", {"vouchers": charter.key_vouchers}))
    else:
        messages.append(("charter.key_replacement.decision", {}))
    messages.append(("charter.petition", {"signatures": charter.petition_signatures}))
    if charter.speaking_limit_s:
        messages.append(("charter.speaking.limit", {"seconds": charter.speaking_limit_s}))
    else:
        messages.append(("charter.speaking.no_limit", {}))
    terms, recall = charter.data["terms"], charter.data["recall"]
    messages.append(
        (
            "charter.terms",
            {
                "term_days": terms["term_days"],
                "rest_terms": terms["rest_terms"],
                "max_concurrent": terms["max_concurrent"],
            },
        )
    )
    num, den = recall["threshold"].split("/")
    messages.append(("charter.recall", {"petition": recall["petition"], "num": int(num), "den": int(den)}))
    messages.append(("charter.sortition.panels", {"panels": charter.panels_for_draws()}))
    return messages + _scaled(charter) + _cargo_rules(charter)


def _scaled(charter: Charter) -> list[Message]:
    """The counts that shrink while the assembly is small (decision 0008), each with its share."""
    return [
        (f"charter.scaled.{name}", {"num": share.numerator, "den": share.denominator})
        for name, share in charter.scaled
        if charter.fixed_count(name)
    ]


def _cargo_rules(charter: Charter) -> list[Message]:
    """The settings of cargos, recall and concentration (docs/cargos.md), defaults included."""
    rules = charter.cargo
    consecutive = "forbidden" if rules.no_consecutive else "allowed"
    nobody = "relax_then_ask" if len(rules.when_nobody_eligible) > 1 else "ask"
    messages: list[Message] = [
        ("charter.recall.voting", {"voting_minutes": _minutes(rules.recall_voting_ms)}),
        ("charter.cargos.household_limit", {"max_per_household": rules.max_per_household}),
        (f"charter.cargos.consecutive.{consecutive}", {}),
        (f"charter.cargos.nobody_eligible.{nobody}", {}),
        ("charter.cargos.report", {"report_days": rules.report_ms // DAY_MS}),
    ]
    if not rules.concentration:
        return [*messages, ("charter.concentration.none", {})]
    return messages + [
        (f"charter.concentration.{name}", _share(share)) for name, share in rules.concentration
    ]


MESSAGE_IDS = (
    "charter.sovereignty",
    "charter.quorum",
    "charter.participation",
    "charter.method.majority",
    "charter.method.consent",
    "charter.method.consensus",
    "charter.method.approval",
    "charter.method.ranked",
    "charter.rounds",
    "charter.fallback",
    "charter.deliberation",
    "charter.tabling.any_member",
    "charter.tabling.cosigned",
    "charter.admission.decision",
    "charter.admission.sponsorship",
    "charter.key_replacement.decision",
    "charter.key_replacement.vouching",
    "charter.petition",
    "charter.speaking.limit",
    "charter.speaking.no_limit",
    "charter.terms",
    "charter.recall",
    "charter.recall.voting",
    "charter.cargos.household_limit",
    "charter.cargos.consecutive.forbidden",
    "charter.cargos.consecutive.allowed",
    "charter.cargos.nobody_eligible.relax_then_ask",
    "charter.cargos.nobody_eligible.ask",
    "charter.cargos.report",
    "charter.concentration.none",
    "charter.concentration.max_gini",
    "charter.concentration.max_top_decile_share",
    "charter.concentration.max_single_share",
    "charter.concentration.min_breadth",
    "charter.sortition.panels",
)
