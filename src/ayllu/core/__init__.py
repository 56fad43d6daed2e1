"""The pure core: plain Python, no Django, no I/O, no clock, no randomness.

Time, ids, keys and random seeds are passed in, so every replica replays a record to the same state.
"""
