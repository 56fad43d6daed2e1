"""Template helpers of the pages about other nodes: the record page's section on who keeps the record."""

from typing import Any

from django import template

from ayllu.actions.record import node_keypair
from ayllu.queries import nodes as q
from ayllu.queries.replication import list_evidence

register = template.Library()


@register.inclusion_tag("web/federation/includes/record_nodes.html")
def record_nodes(log: str) -> dict[str, Any]:
    """Which node seals the record now, its moves, the copies kept here and the evidence held."""
    return {
        "log": log,
        "me": node_keypair().public,
        "succession": q.get_succession(log),
        "mirrors": [m for m in q.list_mirrors() if m.log == log],
        "evidence_count": len(list_evidence(log)),
    }
