"""How concentrated the assembly's work and voice are over a period, measured from the record."""

from typing import Any

from ayllu.core.assembly import reads as core_reads
from ayllu.core.cargos.rotation import YEAR_MS

from .replayed import read_state


def get_concentration(log: str, *, now: int, months: int) -> dict[str, Any]:
    """Measures, alerts and the charter's thresholds for the `months` before `now` (ms).

    `start` is where the period begins; shares name people by member id and households by name, as
    the record does (pages hide the households a reader may not read).
    """
    start = now - YEAR_MS * months // 12

    def read(state: Any) -> dict[str, Any]:
        found = core_reads.get_record_concentration(state, start=start, end=now + 1).as_json()
        return {**found, "start": start, "thresholds": dict(state.rules.cargo.concentration)}

    return read_state(log, read)
