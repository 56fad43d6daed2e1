"""Members who sign acts on their own machine and send them to the node's API.

asm = ApiAssembly.found(client, ["ana", "bea", "carla"])
asm.act("ana", "table", matter="ordinary", title="Water", text="...")   # the response
asm.size()                                                              # entries in the record
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from ayllu.actions.catalogue import ACT_KINDS, sign_kind
from ayllu.actions.record import do_append
from ayllu.api.acts import ROUTES
from ayllu.api.cargos import CARGO_ROUTES
from ayllu.storage import models
from ayllu.storage.waiting import signed_waiting

from .charters import instant_charter
from .keys import keypair, pub
from .records import founding_act, next_nonce

PATHS = {name: (path, in_path) for name, path, in_path in (*ROUTES, *CARGO_ROUTES)}
FOUNDED_AT = 1_764_000_000_000  # the API tests' assemblies
LATER = 4_102_444_800_000  # 2100: a cargo grant and deadlines that outlast any test run


def founding_request(founders: list[str], *, name: str, charter: dict[str, Any]) -> dict[str, Any]:
    """The founding request: content endorsed by each founder, the act signed by the first."""
    officers = [("convenor", pub(founders[0]), LATER), ("minute_keeper", pub(founders[1]), LATER)]
    signed, body = founding_act(
        [(keypair(f), f"h-{f}") for f in founders],
        name=name,
        founded_at=FOUNDED_AT,
        charter=charter,
        cargos=officers,
    )
    return {**json.loads(body.raw), "author": signed.act.author, "nonce": "founding", "asig": signed.asig}


def take_in(log: str, key: str) -> int:
    """Append the act `key` has waiting (an application or a key claim), on its own; return its seq.

    A stranger's act enters the record when a member's act takes it in (decision 0011); tests about what
    an application's words show need it in the record without the admission that sponsoring brings
    under a one-sponsor charter, as a record whose charter asks for two sponsors holds it after the first.
    """
    row = models.WaitingAct.objects.get(record__log=log, author=key)
    signed, body = signed_waiting(row)
    return do_append(log, signed_act=signed, body=body).seq


def act_request(
    log: str, who: str, kind_name: str, *, nonce: str | None = None, **values: Any
) -> tuple[str, dict[str, Any]]:
    """The URL and JSON body of an act signed by test key `who`."""
    kind = ACT_KINDS[kind_name]
    nonce = nonce or next_nonce()
    signed, _ = sign_kind(keypair(who), log, kind=kind, values=values, nonce=nonce)
    path, in_path = PATHS[kind_name]
    url = "/api" + path.replace("{log}", log)
    for name in in_path:
        url = url.replace("{" + name + "}", str(values[name]))
    payload = {k: v for k, v in values.items() if k not in in_path}
    return url, {**payload, "author": signed.act.author, "nonce": nonce, "asig": signed.asig}


@dataclass
class ApiAssembly:
    client: Client
    log: str
    founders: list[str] = field(default_factory=list)

    @classmethod
    def found(
        cls,
        client: Client,
        founders: list[str],
        *,
        name: str = "Junta vecinal",
        charter: dict[str, Any] | None = None,
    ) -> "ApiAssembly":
        request = founding_request(founders, name=name, charter=charter or instant_charter())
        response = client.post("/api/assemblies", request, content_type="application/json")
        assert response.status_code == 201, response.json()
        return cls(client, response.json()["log"], founders)

    def act(self, who: str, kind_name: str, *, lang: str = "es", **values: Any) -> Any:
        """Sign an act as `who` and post it; return the response."""
        url, body = act_request(self.log, who, kind_name, **values)
        return self.client.post(url, body, content_type="application/json", headers={"accept-language": lang})

    def ok(self, who: str, kind_name: str, **values: Any) -> int:
        """Post an act that must be accepted; return its seq (0 for an application or a key claim, which
        waits outside the record until a member takes it in)."""
        response = self.act(who, kind_name, **values)
        if ACT_KINDS[kind_name].waits:
            assert response.status_code == 202, (kind_name, response.json())
            return 0
        assert response.status_code == 201, (kind_name, response.json())
        return int(response.json()["seq"])

    def get(self, path: str, *, lang: str = "es") -> Any:
        return self.client.get(f"/api/assemblies/{self.log}{path}", headers={"accept-language": lang})

    def size(self) -> int:
        return models.Entry.objects.filter(record__log=self.log).count()

    def types(self) -> list[str]:
        rows = models.Entry.objects.filter(record__log=self.log).order_by("seq")
        return list(rows.values_list("type", flat=True))
