"""Builders for storage tests: keys, a founding act and notices signed by members."""

import itertools
from dataclasses import dataclass

from ayllu.core.keys import Keypair
from ayllu.core.record import Body, SignedAct, log_id_for, make_body, sign_act

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


def found(name: str = "Junta Vecinal", *, founders: int = 3) -> tuple[SignedAct, Body, Assembly]:
    members = tuple(keypair(i + 1) for i in range(founders))
    body = make_body({"name": name, "founders": [m.public for m in members]}, vis="public")
    log = log_id_for(body)
    signed = sign_act(members[0], log=log, type="assembly.founded", body=body, nonce="founding")
    return signed, body, Assembly(log, members[0], members)
