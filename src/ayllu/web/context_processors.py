"""Values every page's layout needs."""

from django.conf import settings
from django.http import HttpRequest


def node(request: HttpRequest) -> dict[str, str]:
    """The node's name for the header: set by whoever runs it (AYLLU_NODE_NAME), "ayllu" otherwise."""
    return {"node_name": settings.AYLLU_NODE_NAME or "ayllu"}
