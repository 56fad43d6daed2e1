"""Benchmark of the web app under granian (as `ayllu serve`), loaded with wrk on loopback.

    .venv/bin/python bench/web.py [--members 400] [--questions 4] [--threads 4] [--seconds 8] [--rounds 3]

Serves the app exactly as `ayllu serve` does (granian, the ayllu.asgi front, threads, one worker) on
a fresh SQLite data directory, with a bench-only URLconf that adds a minimal Django view. Measures, in
the same run and under the same server settings, with wrk (`make setup` installs it when run as root,
as scripts/install_system_deps.sh does ICU's packages; elsewhere `apt-get install -y wrk`, or `--cpu`):
- the assembly home page (GET), against the minimal view (GET): as an outsider on a first visit (no
  cookie, no page held: the outsiders' page from Django's cache), and, as a browser asks again for a
  page it holds (If-None-Match with the page's ETag: 304 Not Modified), as an outsider coming back
  (with the CSRF cookie a browser keeps from other pages) and as a logged-in member (a session made
  beforehand, and the CSRF cookie any browser that logged in holds: every request loads the session
  and re-checks the key against the record);
- a member's first view of the home page after an append (GET without a page held, right after a vote
  is appended, so the page is rendered at the new head), against the minimal view asked right after
  the same append, one request at a time on one connection (Python's http.client, whose own time is
  in both figures);
- a vote submission (POST of a vote each member signed beforehand, through the API's typed vote route:
  signature checked, rules replayed, entry sealed and committed), against the minimal view (POST).
The GETs run in rounds (baseline, then each page), each page's ratios taken against its own round's
baseline, so that a neighbour's load on a shared machine weighs on both sides of a ratio; the median
ratio is printed with the lowest and highest, and the load average before and after. The first views
run once, for --first-views appends. The POSTs run once,
for --vote-seconds (each vote may be cast once), after one vote sent alone has warmed the write path up
(the server's first append replays the record, as the GETs' warm-up does for reads). Targets: pages
asked again at least 0.5x the baseline's requests/s, p99 at most 2x; a member's first view after an
append at least 0.2x; no errors. Only 127.0.0.1 is ever contacted.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HOST = "127.0.0.1"
WRK_CONNECTIONS = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def environment(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="web_bench_settings",
        AYLLU_DATA_DIR=str(data),
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    )
    return env


def serve(port: int, threads: int) -> None:
    """Child process: serve as `ayllu serve` does (cli/serve.py), with the bench URLconf."""
    import django

    django.setup()
    from ayllu.cli.serve import serve as ayllu_serve

    ayllu_serve(host=HOST, port=port, threads=threads)


def prepare(members_count: int, questions: int) -> dict[str, Any]:
    """Child process: a fresh node with an assembly, open questions, and every vote signed beforehand."""
    import django

    django.setup()
    from django.core.management import call_command

    sys.path.insert(0, str(BENCH))
    from assembly import charter, keys
    from ayllu.actions.assembly import check_submit_act
    from ayllu.actions.catalogue import ACT_KINDS, sign_kind
    from ayllu.actions.record import do_append_many, do_found_assembly
    from ayllu.actions.record.append import Submitted
    from ayllu.core.charter.founding import found_assembly

    call_command("migrate", verbosity=0)
    members = keys(members_count)
    node = keys(members_count + 1)[-1]
    now = time.time_ns() // 1_000_000
    entry, body = found_assembly(
        [(members[0], "h-0")], name="Bench", founded_at=now, charter=charter(), node=node
    )
    do_found_assembly(signed_act=entry.signed_act(), body=body)
    log = entry.log
    apply, sponsor = ACT_KINDS["apply"], ACT_KINDS["sponsor"]
    batch = []
    for i in range(1, members_count):
        batch.append(sign_kind(members[i], log, kind=apply, values={"household": f"h-{i}"}, nonce=f"a{i}"))
        values = {"applicant": members[i].public}
        batch.append(sign_kind(members[0], log, kind=sponsor, values=values, nonce=f"s{i}"))
    do_append_many(log, items=batch)

    def submit(kind: str, nonce: str, **values: Any) -> int:
        signed, _ = sign_kind(members[0], log, kind=ACT_KINDS[kind], values=values, nonce=nonce)
        submitted = check_submit_act(
            log, kind=ACT_KINDS[kind], values=values, author=members[0].public, nonce=nonce, asig=signed.asig
        )
        assert isinstance(submitted, Submitted), submitted  # a member's act is appended, never kept waiting
        return int(submitted.receipt.seq)

    deadline = now + 24 * 3600 * 1000
    votes = []
    for q in range(questions):
        proposal = submit("table", f"p{q}", matter="ordinary", title=f"Agua {q}", text="Turnos por semana")
        question = submit("open-question", f"q{q}", proposal=proposal, deadline=deadline)
        for i, member in enumerate(members):
            values = {"question": question, "choice": "yes" if i % 3 else "no"}
            signed, _ = sign_kind(member, log, kind=ACT_KINDS["vote"], values=values, nonce=f"v{q}-{i}")
            payload = {
                "author": member.public,
                "nonce": f"v{q}-{i}",
                "asig": signed.asig,
                "choice": values["choice"],
            }
            votes.append((f"/api/assemblies/{log}/questions/{question}/votes", json.dumps(payload)))
    csrf = csrf_cookie()
    return {
        "log": log,
        "votes": votes,
        "csrf_cookie": csrf,
        "cookie": f"{member_session(log, key=members[1].public)}; {csrf}",
    }


def csrf_cookie() -> str:
    """A CSRF cookie as a browser holds it after its first page (Django's secret format), as Cookie value."""
    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    return f"{settings.CSRF_COOKIE_NAME}={get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}"


def member_session(log: str, *, key: str) -> str:
    """A stored session of a member logged in to `log` (as views_auth makes it), as a Cookie header value."""
    from importlib import import_module

    from django.conf import settings

    from ayllu.web import auth

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[auth.SESSION_KEY], session[auth.SESSION_LOG] = key, log
    session[auth.SESSION_STARTED] = session[auth.SESSION_SEEN] = auth.now()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not start on {HOST}:{port}")


def wrk(
    url: str, *, seconds: int, script: Path | None = None, cookie: str = "", etag: str = ""
) -> dict[str, float]:
    """Run wrk against a loopback URL; return requests/s, p99 (ms), requests and errors. With `etag`,
    every request says it holds the page of that ETag (If-None-Match), as a browser asking again."""
    assert url.startswith(f"http://{HOST}:"), url  # loopback only
    args = ["wrk", "-t1", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency", url]
    if script is not None:
        args[1:1] = ["-s", str(script)]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    if etag:
        args[1:1] = ["-H", f"If-None-Match: {etag}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(x) for x in socket_errors.groups()) if socket_errors else 0
    return {
        "rps": rps,
        "p99": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        "requests": total,
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--questions", type=int, default=4)
    parser.add_argument(
        "--threads", type=int, default=4, help="granian blocking threads (ayllu serve's default)"
    )
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument(
        "--vote-seconds",
        type=int,
        default=4,
        help="seconds of POSTs (each signed vote is cast once: 1,599 of them by default)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of GETs, each page against its own round's baseline"
    )
    parser.add_argument(
        "--first-views", type=int, default=100, help="appends, each followed by a member's first view"
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="measure CPU per request in-process instead (Django's WSGI handler, no server, no wrk)",
    )
    parser.add_argument("--child", choices=["serve", "prepare", "cpu"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "serve":
        serve(args.port, args.threads)
        return 0
    if args.child == "prepare":
        Path(args.out).write_text(json.dumps(prepare(args.members, args.questions)))
        return 0
    if args.child == "cpu":
        cpu(json.loads(Path(args.out).read_text()))
        return 0
    if shutil.which("wrk") is None and not args.cpu:
        raise SystemExit(
            "wrk is not installed: `make setup` as root installs it (scripts/install_system_deps.sh), else"
            " `apt-get install -y wrk`; or measure CPU per request in-process with --cpu"
        )

    with tempfile.TemporaryDirectory(prefix="ayllu-bench-web-") as tmp:
        data = Path(tmp)
        (data / "node").mkdir(mode=0o700)
        env = environment(data / "node")
        prepared = data / "prepared.json"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "prepare",
                "--out",
                str(prepared),
                "--members",
                str(args.members),
                "--questions",
                str(args.questions),
            ],
            env=env,
            check=True,
        )
        scene = json.loads(prepared.read_text())
        print(
            f"prepared: {args.members} members, {len(scene['votes'])} votes signed "
            f"({time.perf_counter() - started:.1f}s)"
        )
        if args.cpu:
            subprocess.run(
                [sys.executable, __file__, "--child", "cpu", "--out", str(prepared)], env=env, check=True
            )
            return 0
        # The first vote warms the write path up (the server's first append replays the record), the
        # others are wrk's.
        first_vote = scene["votes"][0]
        appends, votes = scene["votes"][-args.first_views :], scene["votes"][1 : -args.first_views]
        votes_file = data / "votes.txt"
        votes_file.write_text("".join(f"{path} {body}\n" for path, body in votes))
        base_post = data / "base.txt"
        base_post.write_text("".join("/bench/minimal/ {}\n" for _ in range(10)))
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--child",
                "serve",
                "--port",
                str(port),
                "--threads",
                str(args.threads),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: granian's worker goes with it
        )
        try:
            wait_for(port)
            base = f"http://{HOST}:{port}"
            home = f"{base}/es/asamblea/{scene['log']}/"
            wrk(home, seconds=1)  # warm: templates, the replayed state
            wrk(f"{base}/bench/minimal/", seconds=1)
            load_before = os.getloadavg()
            outsider, member = scene["csrf_cookie"], scene["cookie"]
            rounds = [
                {
                    "baseline GET": wrk(f"{base}/bench/minimal/", seconds=args.seconds),
                    "assembly home page": wrk(home, seconds=args.seconds),
                    "home page, returning": wrk(
                        home, seconds=args.seconds, cookie=outsider, etag=page_etag(port, home, outsider)
                    ),
                    "member's home page": wrk(
                        home, seconds=args.seconds, cookie=member, etag=page_etag(port, home, member)
                    ),
                }
                for _ in range(args.rounds)
            ]
            post_once(base + first_vote[0], first_vote[1])
            rounds[0].update(first_views(port, home=home, cookie=member, appends=appends))
            # Once only: every vote may be cast once (a repeat answers 409).
            rounds[0]["baseline POST"] = wrk(
                base, seconds=args.vote_seconds, script=posts(data, base_post, "base")
            )
            rounds[0]["vote submission"] = wrk(
                base, seconds=args.vote_seconds, script=posts(data, votes_file, "votes")
            )
            load_after = os.getloadavg()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    report(rounds, votes=len(votes), threads=args.threads, load=(load_before, load_after))
    return 0


def cpu(scene: dict[str, Any], *, batch: int = 1000, rounds: int = 5) -> None:
    """Child process: CPU per request (time.process_time) through Django's WSGI handler, no server:
    batches of `batch` requests, best of `rounds`; then `batch // 10` votes, one after another, each
    followed by a member's first view of the home page at the new head (only the view timed)."""
    import io

    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()

    def environ(
        path: str, *, method: str = "GET", cookie: str = "", body: str = "", etag: str = ""
    ) -> dict[str, Any]:
        data = body.encode()
        held = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
        return held | {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": HOST,
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": HOST,
            "HTTP_HOST": HOST,
            "HTTP_COOKIE": cookie,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }

    statuses: list[str] = []
    etags: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        statuses.append(status)
        etags.extend(value for name, value in headers if name == "ETag")

    def one(env: dict[str, Any]) -> None:
        env = dict(env, **{"wsgi.input": io.BytesIO(env["wsgi.input"].getvalue())})
        response = app(env, start_response)
        b"".join(response)
        response.close()  # type: ignore[attr-defined]

    home = f"/es/asamblea/{scene['log']}/"

    def held(cookie: str) -> str:
        """The ETag of the home page as the reader of `cookie` first gets it ("" if it has none)."""
        etags.clear()
        one(environ(home, cookie=cookie))
        return etags[-1] if etags else ""

    outsider, member = scene["csrf_cookie"], scene["cookie"]
    outsider_etag, member_etag = held(outsider), held(member)
    cases = {
        "baseline GET": (environ("/bench/minimal/"), "200 OK"),
        "outsider": (environ(home), "200 OK"),
        "outsider coming back": (environ(home, cookie=outsider, etag=outsider_etag), outsider_etag),
        "member coming back": (environ(home, cookie=member, etag=member_etag), member_etag),
        "member, page rendered": (environ(home, cookie=member), "200 OK"),
    }
    print(f"in-process CPU per request (best of {rounds} batches of {batch}; load {os.getloadavg()[0]:.2f})")
    for name, (env, expected) in cases.items():
        status = "200 OK" if expected in ("", "200 OK") else "304 Not Modified"  # no ETag: no 304
        best = float("inf")
        for _ in range(rounds):
            statuses.clear()
            started = time.process_time()
            for _ in range(batch):
                one(env)
            best = min(best, time.process_time() - started)
            assert set(statuses) == {status}, set(statuses)
        print(f"{name:22} {best / batch * 1e6:7.0f} us")
    in_a_row, votes = scene["votes"][batch // 10 : batch // 5], scene["votes"][: batch // 10]
    statuses.clear()
    started = time.process_time()
    for path, body in in_a_row:  # as bench/web.py measured votes before 2026-12-07: no page between them
        one(environ(path, method="POST", body=body))
    print(f"{'votes in a row':22} {(time.process_time() - started) / len(in_a_row) * 1e6:7.0f} us CPU")
    voting = viewing = 0.0
    wall_started = time.perf_counter()
    for path, body in votes:
        started = time.process_time()
        one(environ(path, method="POST", body=body))
        viewed = time.process_time()
        one(cases["member, page rendered"][0])
        voting, viewing = voting + viewed - started, viewing + time.process_time() - viewed
    wall = time.perf_counter() - wall_started
    assert all(status.startswith("20") for status in statuses), set(statuses)
    per_vote, per_pair = voting / len(votes) * 1e6, wall / len(votes) * 1e3
    print(f"{'vote, one at a time':22} {per_vote:7.0f} us CPU (vote and view: {per_pair:.1f} ms wall)")
    print(f"{'member, after a vote':22} {viewing / len(votes) * 1e6:7.0f} us (first view at the new head)")


def page_etag(port: int, url: str, cookie: str) -> str:
    """The ETag of the page at `url` for the reader of `cookie` (a browser's first view of it)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", url.split(str(port), 1)[1], headers={"Cookie": cookie} if cookie else {})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200, answer.status
        return str(answer.headers["ETag"])
    finally:
        connection.close()


def first_views(
    port: int, *, home: str, cookie: str, appends: list[tuple[str, str]]
) -> dict[str, dict[str, float]]:
    """For each vote of `appends`: append it, then GET the minimal view and the member's home page
    (no page held), one at a time on one connection. Each measure's requests/s is one over its mean
    time; p99 is its 99th percentile (ms)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    path = home.split(str(port), 1)[1]
    times: dict[str, list[float]] = {"baseline GET, after an append": [], "member's first view": []}
    errors = dict.fromkeys(times, 0)

    def get(url: str, headers: dict[str, str]) -> tuple[int, float]:
        started = time.perf_counter()
        connection.request("GET", url, headers=headers)
        answer = connection.getresponse()
        answer.read()
        return answer.status, time.perf_counter() - started

    try:
        for url, body in appends:
            connection.request("POST", url, body=body, headers={"Content-Type": "application/json"})
            answer = connection.getresponse()
            answer.read()
            assert 200 <= answer.status < 300, answer.status
            for name, (target, headers) in {
                "baseline GET, after an append": ("/bench/minimal/", {}),
                "member's first view": (path, {"Cookie": cookie}),
            }.items():
                status, spent = get(target, headers)
                times[name].append(spent)
                errors[name] += status != 200
    finally:
        connection.close()
    return {
        name: {
            "rps": len(spent) / sum(spent),
            "p99": sorted(spent)[int(0.99 * (len(spent) - 1))] * 1000,
            "requests": len(spent),
            "errors": errors[name],
        }
        for name, spent in times.items()
    }


def post_once(url: str, body: str) -> None:
    """POST a JSON body to a loopback URL; fail unless it is accepted."""
    import urllib.request

    assert url.startswith(f"http://{HOST}:"), url  # loopback only
    request = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert 200 <= answer.status < 300, answer.status


def posts(data: Path, bodies: Path, name: str) -> Path:
    """A wrk script that POSTs each line's body to its path, in turn."""
    script = data / f"{name}.lua"
    script.write_text(
        f"""
local items = {{}}
for line in io.lines("{bodies}") do
  local path, body = line:match("^(%S+) (.*)$")
  items[#items + 1] = {{path, body}}
end
local i = 0
request = function()
  i = i + 1
  if i > #items then i = 1 end
  return wrk.format("POST", items[i][1], {{["Content-Type"] = "application/json"}}, items[i][2])
end
"""
    )
    return script


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def report(
    rounds: list[dict[str, dict[str, float]]],
    *,
    votes: int,
    threads: int,
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> None:
    """Each measure's median over the rounds; each ratio is taken against its own round's baseline, and
    the median of those ratios is printed with the lowest and highest (the machine may be shared)."""
    print(
        f"\ngranian + ayllu.asgi, 1 worker, {threads} threads; wrk 1 thread, {WRK_CONNECTIONS} connections;"
        f" {len(rounds)} round(s); load average {load[0][0]:.2f} before, {load[1][0]:.2f} after"
    )
    print(f"{'':22} {'req/s':>9} {'p99 ms':>9} {'requests':>9} {'errors':>7}   (median over rounds; sums)")
    for name in rounds[0]:
        runs = [r[name] for r in rounds if name in r]
        rps, p99 = median([r["rps"] for r in runs]), median([r["p99"] for r in runs])
        total, errors = sum(r["requests"] for r in runs), sum(r["errors"] for r in runs)
        print(f"{name:22} {rps:9.0f} {p99:9.1f} {total:9.0f} {errors:7.0f}")
    pairs = [
        ("assembly home page", "baseline GET", 0.5),
        ("home page, returning", "baseline GET", 0.5),
        ("member's home page", "baseline GET", 0.5),
        ("member's first view", "baseline GET, after an append", 0.2),
        ("vote submission", "baseline POST", 0.0),
    ]
    print(f"\n{'':22} {'req/s ratio (low-high)':>24} {'p99 ratio (low-high)':>22}   target")
    for name, baseline, target in pairs:
        if name not in rounds[0]:
            continue
        # A round whose baseline answered nothing (wrk's requests all timed out on a loaded machine) has
        # no ratio: it is left out and said.
        measured = [(r[name], r[baseline]) for r in rounds if name in r]
        runs = [(page, base) for page, base in measured if base["rps"] > 0]
        if len(runs) < len(measured):
            print(f"{name:22} {len(measured) - len(runs)} round(s) left out: the baseline answered nothing")
        if not runs:
            continue
        rps = [page["rps"] / base["rps"] for page, base in runs]
        p99 = [page["p99"] / base["p99"] for page, base in runs]
        errors = sum(page["errors"] for page, _ in runs)
        if target == 0.5:
            met = median(rps) >= target and median(p99) <= 2 and not errors
            goal = f"pages >= 0.5x, p99 <= 2x, no errors: {'met' if met else 'NOT met'}"
        elif target:
            met = median(rps) >= target and not errors
            goal = f"first views >= {target}x, no errors: {'met' if met else 'NOT met'}"
        else:
            goal = "(reported)"
        print(
            f"{name:22} {median(rps):8.2f}x ({min(rps):.2f}-{max(rps):.2f})"
            f" {median(p99):9.2f}x ({min(p99):.2f}-{max(p99):.2f})   {goal}"
        )
    if "vote submission" in rounds[0] and rounds[0]["vote submission"]["requests"] > votes:
        print(f"note: more vote requests than signed votes ({votes}): repeats answer 409 and count as errors")


if __name__ == "__main__":
    sys.exit(main())
