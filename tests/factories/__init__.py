"""Builders shared by every test: keys, charters, records, assemblies, scenes and nodes.

- `keys`: deterministic test keys, by name or by number.
- `charters`: the default charter with short times and small numbers.
- `records`: founding acts, signed acts, records sealed in memory (no Django).
- `assemblies`: an assembly built and replayed in memory by the core's rules (no Django).
- `stored`: assemblies written through the real write path (`do_append`), and the page's login.
- `api`: members who sign on their own machine and post to the node's JSON API.
- `scenes`: the cargo assembly's scene (turns, mandates, recall, a draw) on a clock the test moves.
- `nodes`: nodes run as separate processes (`ayllu` commands, child appenders, seeding).
"""
