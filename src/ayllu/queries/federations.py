"""Reads of federations: a federation's member assemblies and their delegates (docs/federation-bodies.md)."""

from typing import Any

from ayllu.core.assembly.state import AssemblyState
from ayllu.core.federations.seats import list_member_assemblies
from ayllu.queries.replayed import read_state
from ayllu.storage import models


def get_federation(log: str, *, now: int) -> dict[str, Any] | None:
    """A federation's rules and member assemblies with their seats at `now`, each assembly's name where
    this node holds its record ("" where it does not); None for an assembly's record."""

    def read(state: AssemblyState) -> dict[str, Any] | None:
        rules = state.charter.federation if state.charter is not None else None
        if rules is None:
            return None
        return {
            "delegates_per_assembly": rules.delegates_per_assembly,
            "joining": rules.joining,
            "assemblies": list_member_assemblies(state, now=now),
        }

    found = read_state(log, read)
    if found is None:
        return None
    logs = [a["assembly"] for a in found["assemblies"]]
    names = dict(models.Record.objects.filter(log__in=logs).values_list("log", "name"))
    for member in found["assemblies"]:
        member["name"] = names.get(member["assembly"], "")
        member["held"] = member["assembly"] in names
    return found
