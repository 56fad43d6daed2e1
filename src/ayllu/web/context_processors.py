"""Values every page's layout needs."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ayllu.core.errors import DomainError
from ayllu.messages import message_for
from ayllu.queries.served import get_node_served

from .middleware import broken_entry_of


def node(request: HttpRequest) -> dict[str, str]:
    """The node's name for the header: set by whoever runs it (AYLLU_NODE_NAME), "ayllu" otherwise."""
    return {"node_name": settings.AYLLU_NODE_NAME or "ayllu"}


def demo(request: HttpRequest) -> dict[str, bool]:
    """On a demo node, whether this assembly page may offer the demo household's key (views_demo.py)."""
    if settings.AYLLU_DEMO_VISITOR_KEY_FILE is None or request.resolver_match is None:
        return {}
    log = request.resolver_match.kwargs.get("log")
    if not isinstance(log, str):
        return {}
    from .views_demo import demo_visitor_key  # only demo nodes get here

    try:
        return {"demo_key_offered": demo_visitor_key(log) is not None}
    except DomainError:
        return {}


def record_alerts(request: HttpRequest) -> dict[str, Any]:
    """What the warning at the top of each page says about this node's copies of records
    (web/includes/served_alert.html): every copy that failed its check, and, on an assembly's pages,
    the entry of its copy that breaks a rule."""
    return _damaged() | _broken_entry(request)


def _damaged() -> dict[str, Any]:
    status = get_node_served()
    if status.ok:
        return {"served_damaged": ()}
    return {
        "served_damaged": [
            {
                "log": d.log,
                "name": d.name,
                "seq": d.seq,
                "problem": message_for(d.code, {**d.detail, "seq": d.seq}),
            }
            for d in status.damaged
        ]
    }


def _broken_entry(request: HttpRequest) -> dict[str, Any]:
    """The entry of this assembly's copy that breaks a rule, if any: its pages show the assembly as
    before it, and other nodes refuse it."""
    found = broken_entry_of(request)
    if found is None or request.resolver_match is None:
        return {}
    seq, code = found
    log = request.resolver_match.kwargs["log"]
    return {"broken_entry": {"log": log, "seq": seq, "problem": message_for(code, {"seq": seq})}}
