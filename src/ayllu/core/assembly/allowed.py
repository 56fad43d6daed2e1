"""May this reader do this act now? The same rule replay runs, run without applying what it decides.

Pages and the API show a form only when `refusal` finds nothing to refuse, so a form is never offered
for an act the core would then refuse (a ballot after its deadline, a second cosignature, ...).
"""

from ayllu.core.assembly.acts import Act
from ayllu.core.assembly.replay import try_act
from ayllu.core.assembly.state import AssemblyState
from ayllu.core.errors import DomainError


def refusal(state: AssemblyState, *, key: str, act: Act, time: int) -> DomainError | None:
    """Why the core would refuse `act` signed by `key` at `time` (ms), or None when it would accept it.

    The state is not changed: the act is decided on the state as replay would find it at `time`
    (terms of cargos that start by then started on a copy), and what it decides is dropped.
    """
    try:
        try_act(state, key=key, act=act, time=time)
    except DomainError as error:
        return error
    return None


def may(state: AssemblyState, *, key: str, act: Act, time: int) -> bool:
    """True when the core would accept `act` signed by `key` at `time` (ms)."""
    return refusal(state, key=key, act=act, time=time) is None
