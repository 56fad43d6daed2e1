"""Checks shared by the methods that choose among options (approval, ranked)."""

from collections.abc import Sequence

from ayllu.core.proposals.methods.errors import DuplicateOption, InvalidParameter


def check_options(options: Sequence[str]) -> tuple[str, ...]:
    """Return the options as a tuple; raise on an empty list, an empty name or a duplicate."""
    if not options:
        raise InvalidParameter(name="options", value=0)
    seen: set[str] = set()
    for option in options:
        if not isinstance(option, str) or not option:
            raise InvalidParameter(name="option", value=option)
        if option in seen:
            raise DuplicateOption(option=option)
        seen.add(option)
    return tuple(options)
