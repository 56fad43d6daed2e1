"""Whether this node's copy of each record still verifies (storage/served.py): for pages, the API and
the CLI."""

from ayllu.storage.served import (
    Damage,
    NodeServed,
    RecordServed,
    check_record,
    known_damage,
    node_served,
    served_to_peers,
)

__all__ = [
    "Damage",
    "NodeServed",
    "RecordServed",
    "get_node_served",
    "get_record_served",
    "get_served_to_peers",
    "known_damage",
]


def get_node_served() -> NodeServed:
    """Every record of this node whose copy failed its check (checked as on start the first time)."""
    return node_served()


def get_record_served(log: str) -> RecordServed:
    """One record's live state on this node: how many entries hold, and the first bad one if any."""
    return check_record(log)


def get_served_to_peers(log: str | None) -> NodeServed:
    """What a replication answer about `log` says of the node: `get_node_served`, without waiting for
    the first check of every record (only `log` is checked then): followers check what they are served."""
    return served_to_peers(log)
