"""A federation on this node whose two member assemblies each seated a delegate, for moving its record.

scene = seated_pair(clock)   # {"fed", "alto", "bajo", "alto_delegate", "bajo_delegate"}: logs and names
"""

from .federations import accredit, found_home, give_federation_cargo, seat_content
from .federations_stored import found_stored_federation, hold, stored_seat
from .scenes import Clock


def seated_pair(clock: Clock) -> dict[str, str]:
    """Alto and bajo held here (with checkpoints), a federation founded here by ana and dora in which each
    seated a delegate; move `clock` (this node's time) past the homes' entries."""
    alto, bajo = found_home(["ana", "bea", "carla"]), found_home(["dora", "eva", "flor"])
    fed = found_stored_federation({"ana": alto, "dora": bajo})
    scene = {"fed": fed, "alto": alto.log, "bajo": bajo.log}
    for name, home in (("alto", alto), ("bajo", bajo)):
        delegate = give_federation_cargo(home, fed)
        credential = accredit(home, delegate, fed)
        clock.now = max(clock.now, home.clock + 1000)
        hold(home, checkpoint=True)
        stored_seat(fed, delegate, seat_content(home, credential))
        scene[f"{name}_delegate"] = delegate
    return scene
