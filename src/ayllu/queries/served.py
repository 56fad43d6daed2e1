"""Whether this node's copy of each record still verifies (storage/served.py): for pages, the API and
the CLI."""

from ayllu.storage.served import Damage, NodeServed, RecordServed, check_record, known_damage, node_served

__all__ = ["Damage", "NodeServed", "RecordServed", "get_node_served", "get_record_served", "known_damage"]


def get_node_served() -> NodeServed:
    """Every record of this node whose copy failed its check (checked as on start the first time)."""
    return node_served()


def get_record_served(log: str) -> RecordServed:
    """One record's live state on this node: how many entries hold, and the first bad one if any."""
    return check_record(log)
