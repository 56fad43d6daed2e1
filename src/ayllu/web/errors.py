"""Domain error codes turned into words for people: kept for pages that import them from here.

The sentences live in `ayllu.messages`, shared by pages, the API and the CLI.
"""

from ayllu.messages import MESSAGES, UNKNOWN, message_for

__all__ = ["MESSAGES", "UNKNOWN", "message_for"]
