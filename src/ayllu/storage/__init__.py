"""Storage: the Django app that keeps records, entries, bodies, checkpoints and node keys."""
