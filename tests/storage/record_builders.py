"""Builders for storage tests: keys, a founding act and notices signed by members."""

import itertools
from dataclasses import dataclass

from ayllu.core.charter.founding import FOUNDED, build_founding_body, build_founding_content, endorse_founding
from ayllu.core.charter.rules import default_charter_data
from ayllu.core.ledger.keys import Keypair
from ayllu.core.ledger.record import Body, SignedAct, log_id_for, make_body, sign_act

_nonces = itertools.count(1)


@dataclass(frozen=True)
class Assembly:
    log: str
    founder: Keypair
    members: tuple[Keypair, ...]

    def notice(
        self, text: str = "hola", *, author: Keypair | None = None, vis: str = "public"
    ) -> tuple[SignedAct, Body]:
        body = make_body({"text": text}, vis=vis)
        nonce = f"n{next(_nonces)}"
        signed = sign_act(author or self.founder, log=self.log, type="notice.posted", body=body, nonce=nonce)
        return signed, body


def keypair(n: int) -> Keypair:
    return Keypair.from_seed(bytes([n]) * 32)


FOUNDED_AT = 1_767_225_600_000  # 2026-01-01, before any node time in these tests


def found(name: str = "Junta Vecinal", *, founders: int = 3) -> tuple[SignedAct, Body, Assembly]:
    members = tuple(keypair(i + 1) for i in range(founders))
    content = build_founding_content(
        name,
        founded_at=FOUNDED_AT,
        charter=default_charter_data(),
        founders=[(m.public, f"casa-{i}") for i, m in enumerate(members, start=1)],
    )
    body = build_founding_body(content, [endorse_founding(m, content) for m in members])
    log = log_id_for(body)
    signed = sign_act(members[0], log=log, type=FOUNDED, body=body, nonce="founding")
    return signed, body, Assembly(log, members[0], members)
