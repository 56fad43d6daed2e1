"""Federations: records whose members are assemblies, each seated by delegates (docs/federation-bodies.md)."""
