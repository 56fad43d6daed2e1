"""One worker process of a node, asking for login challenges: prints "ok" or "limited" per attempt.

Run by tests/web/test_rate_limits.py as `python rate_worker.py LIMIT ATTEMPTS` with the node's
DJANGO_SETTINGS_MODULE and AYLLU_DATA_DIR (or AYLLU_DATABASE_URL) in the environment.
"""

import sys

import django


def main(limit: int, attempts: int) -> None:
    django.setup()
    from django.conf import settings
    from django.test import RequestFactory

    from ayllu.web import auth

    settings.AYLLU_LOGIN_CHALLENGES_PER_ADDRESS = limit
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
    for _ in range(attempts):
        try:
            auth.check_challenge_rate(request)
            print("ok", flush=True)
        except auth.LoginRateLimited:
            print("limited", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
