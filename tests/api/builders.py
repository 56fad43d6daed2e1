"""Members who sign acts on their own machine and send them to the node's API.

asm = ApiAssembly.found(client, ["ana", "bea", "carla"])
asm.act("ana", "table", matter="ordinary", title="Water", text="...")   # the response
asm.size()                                                              # entries in the record
"""

import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from ayllu.actions.catalogue import ACT_KINDS, sign_kind
from ayllu.api.acts import ROUTES
from ayllu.api.cargos import CARGO_ROUTES
from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import log_id_for, sign_act
from ayllu.storage import models

PATHS = {name: (path, in_path) for name, path, in_path in (*ROUTES, *CARGO_ROUTES)}
FOUNDED_AT = 1_764_000_000_000
LATER = 4_102_444_800_000  # 2100: a cargo grant and deadlines that outlast any test run
_nonces = itertools.count(1)


def keypair(name: str) -> Keypair:
    """The deterministic test key called `name`."""
    return Keypair.from_seed(hashlib.sha256(b"ayllu-api-test/" + name.encode()).digest())


def pub(name: str) -> str:
    return keypair(name).public


def quick_charter(**changes: Any) -> dict[str, Any]:
    """The default charter with no waiting times and small numbers, so a test runs on the real clock."""
    charter = default_charter_data()
    charter["deliberation"] = {"async_ms": 0, "meeting_ms": 0, "voting_ms": 0}
    charter["admission"] = {"by": "sponsorship", "sponsors": 1}
    charter["key_replacement"] = {"by": "vouching", "vouchers": 2}
    charter["petition"] = {"signatures": 2}
    charter["quorum"] = {"basis": "members", "share": "1/2"}
    charter["participation"] = {"basis": "members", "share": "1/2"}
    charter.update(changes)
    return charter


def founding_request(founders: list[str], *, name: str, charter: dict[str, Any]) -> dict[str, Any]:
    """The founding request: content endorsed by each founder, the act signed by the first."""
    content = build_founding_content(
        name,
        founded_at=FOUNDED_AT,
        charter=charter,
        founders=[(pub(f), f"h-{f}") for f in founders],
        cargos=[("convenor", pub(founders[0]), LATER), ("minute_keeper", pub(founders[1]), LATER)],
    )
    endorsements = [endorse_founding(keypair(f), content) for f in founders]
    body = build_founding_body(content, endorsements)
    signed = sign_act(keypair(founders[0]), log=log_id_for(body), type=FOUNDED, body=body, nonce="founding")
    return {
        **content,
        "endorsements": endorsements,
        "author": signed.act.author,
        "nonce": "founding",
        "asig": signed.asig,
    }


def act_request(
    log: str, who: str, kind_name: str, *, nonce: str | None = None, **values: Any
) -> tuple[str, dict[str, Any]]:
    """The URL and JSON body of an act signed by test key `who`."""
    kind = ACT_KINDS[kind_name]
    nonce = nonce or f"t{next(_nonces)}"
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
        request = founding_request(founders, name=name, charter=charter or quick_charter())
        response = client.post("/api/assemblies", request, content_type="application/json")
        assert response.status_code == 201, response.json()
        return cls(client, response.json()["log"], founders)

    def act(self, who: str, kind_name: str, *, lang: str = "es", **values: Any) -> Any:
        """Sign an act as `who` and post it; return the response."""
        url, body = act_request(self.log, who, kind_name, **values)
        return self.client.post(url, body, content_type="application/json", headers={"accept-language": lang})

    def ok(self, who: str, kind_name: str, **values: Any) -> int:
        """Post an act that must be accepted; return its seq."""
        response = self.act(who, kind_name, **values)
        assert response.status_code == 201, (kind_name, response.json())
        return int(response.json()["seq"])

    def get(self, path: str, *, lang: str = "es") -> Any:
        return self.client.get(f"/api/assemblies/{self.log}{path}", headers={"accept-language": lang})

    def size(self) -> int:
        return models.Entry.objects.filter(record__log=self.log).count()

    def types(self) -> list[str]:
        rows = models.Entry.objects.filter(record__log=self.log).order_by("seq")
        return list(rows.values_list("type", flat=True))
