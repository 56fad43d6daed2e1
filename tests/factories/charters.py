"""Charters for tests: the default charter with short waits and small numbers.

quick_charter()      one-second deliberation and voting, one sponsor, two vouchers, a petition of two,
                     quorum and participation of half the members (the in-memory assemblies)
instant_charter()    the same with no waiting at all, for tests that run on the real clock (the API)
no_wait_charter()    the default charter with no minimum discussion and a minute to vote (the pages)
cargo_charter()      the quick charter with majority decisions, 30-day terms and a recall petition of two
"""

from typing import Any

from ayllu.core.charter.rules import default_charter_data

MAJORITY = {"method": "majority", "threshold": "1/2", "base": "yes_no", "comparison": "more_than"}


def quick_charter(**changes: Any) -> dict[str, Any]:
    """The default charter with short times and simple routes, plus `changes` (top-level keys)."""
    charter = default_charter_data()
    charter["deliberation"] = {"async_ms": 1000, "meeting_ms": 0, "voting_ms": 1000}
    charter["admission"] = {"by": "sponsorship", "sponsors": 1}
    charter["key_replacement"] = {"by": "vouching", "vouchers": 2}
    charter["petition"] = {"signatures": 2}
    charter["quorum"] = {"basis": "members", "share": "1/2"}
    charter["participation"] = {"basis": "members", "share": "1/2"}
    charter.update(changes)
    return charter


def instant_charter(**changes: Any) -> dict[str, Any]:
    """The quick charter with no waiting times, so a test runs on the real clock."""
    return quick_charter(**{"deliberation": {"async_ms": 0, "meeting_ms": 0, "voting_ms": 0}, **changes})


def no_wait_charter(**changes: Any) -> dict[str, Any]:
    """The default charter, with no minimum discussion time and a minute to vote."""
    charter = default_charter_data()
    charter["deliberation"] = {"async_ms": 0, "meeting_ms": 0, "voting_ms": 60_000}
    charter.update(changes)
    return charter


def cargo_charter(**changes: Any) -> dict[str, Any]:
    """The quick charter with majority decisions, 30-day terms, no rest, a recall petition of two."""
    methods = {**quick_charter()["methods"], "ordinary": dict(MAJORITY)}
    base = {
        "methods": methods,
        "terms": {"term_days": 30, "rest_terms": 0, "max_concurrent": 1},
        "recall": {"petition": 2, "threshold": "1/2", "voting_ms": 100_000},
    }
    return quick_charter(**{**base, **changes})
