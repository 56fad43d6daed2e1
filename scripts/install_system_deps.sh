#!/usr/bin/env bash
# Install the system packages the test suite and the translators need, when missing:
#   chromium  - Debian's Chromium, driven by Playwright in tests/browser (Playwright's download is not used)
#   gettext   - msgfmt/xgettext for `django-admin makemessages/compilemessages` (the compiled .mo files are
#               committed, so running a node never needs it)
#   libicu-dev, pkg-config, g++
#             - ICU and what builds PyICU against it (`pip install` of the lock compiles it once; pip keeps
#               the wheel): names are compared by Unicode TR 39's skeleton through ICU (decision 0019)
#   nginx-light
#             - tests/cli/test_serve_behind_nginx.py runs the node behind nginx as docs/operations.md sets
#               it up (started by the test itself on loopback; the package's own service is not used)
#   wrk       - the load generator of bench/web.py (tests never need it; small): `make setup` installs it
#               with ICU's packages, so the benchmark runs after `make setup` alone
# `--build` installs only what `make setup` needs (ICU's packages and wrk), not Chromium.
# Idempotent: does nothing when all are present. Installs only when run as root on a Debian-like system;
# otherwise prints what is missing and exits 0, so the browser tests skip (unless AYLLU_REQUIRE_BROWSER=1).
set -euo pipefail

missing=()
if ! pkg-config --exists icu-i18n 2>/dev/null; then
  missing+=(libicu-dev pkg-config)
fi
if ! command -v g++ >/dev/null 2>&1; then
  missing+=(g++)
fi
if [ "${1:-}" != "--build" ]; then
  if [ ! -x /usr/lib/chromium/chromium ] && ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium)
  fi
  if ! command -v msgfmt >/dev/null 2>&1; then
    missing+=(gettext)
  fi
  if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null 2>&1; then
    missing+=(nginx-light)
  fi
fi

if ! command -v wrk >/dev/null 2>&1; then
  missing+=(wrk)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "    system packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "    missing system packages: ${missing[*]} (as root: apt-get install -y ${missing[*]})"
  exit 0
fi

echo "    installing ${missing[*]} with apt-get (about 30 s for Chromium)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "    installed: ${missing[*]}"
