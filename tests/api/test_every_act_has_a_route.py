"""Every act of the catalogue has its typed API endpoint: the catalogue against the rows of `ROUTES`.

The endpoint's schema is derived from the act kind's class (api/schemas.py `act_request_schema`); only
its path is written by hand, one row in `acts.ROUTES` or `cargos.CARGO_ROUTES`. An act kind without a
row fails here until it gets one, or until it is listed below with the reason it has none.
"""

from ayllu.actions.catalogue import ACT_KINDS
from ayllu.api.acts import ROUTES
from ayllu.api.cargos import CARGO_ROUTES

# Kinds with no typed endpoint, each with why. They still go through the signed-act endpoint.
WITHOUT_A_ROUTE: dict[str, str] = {
    "move-record": "its body carries the endorsements of more than half of the members, gathered "
    "elsewhere (`ayllu endorse-move`, then `ayllu move-record` or the record-move page): sent whole",
}


def test_every_act_kind_of_the_catalogue_has_a_typed_endpoint() -> None:
    # given the rows of the typed act endpoints
    routed = [name for name, _, _ in (*ROUTES, *CARGO_ROUTES)]
    # then each names an act of the catalogue once, and only the kinds listed without one lack a row
    assert len(routed) == len(set(routed))
    assert set(routed) <= set(ACT_KINDS)
    assert set(ACT_KINDS) - set(routed) == set(WITHOUT_A_ROUTE)
