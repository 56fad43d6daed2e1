"""ayllu: self-governance software that disperses power by construction."""

__version__ = "0.1.0"
