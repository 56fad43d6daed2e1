"""Meetings: convening, presence, quorum, the speakers' queue, points of order, minutes."""
