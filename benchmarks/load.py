"""Benchmark: Fulfil under load (issue 20), loopback only and bounded.

1. A throwaway PostgreSQL cluster (unless --database-url is given) holding the Sutton-sized demo
   area (`fulfil demo --no-serve`: migrate, generate if empty), and `fulfil serve` (gunicorn) with
   the production settings on 127.0.0.1 and a free port, behind no proxy: every request says
   `X-Forwarded-Proto: https`, as the TLS proxy would.
2. Signed-in users of every role: benchmark accounts `load-<role>-NN` are created beside the demo
   sign-ins (a therapist is a user of one therapist, so each load therapist is another real
   therapist of the area; SENCOs are at different schools, parents of different children), each
   staff account with an authenticator. Every user signs in over HTTP with the demo password and,
   staff, a TOTP code computed from the device's key read from the database (MFA is on in
   production).
3. Single user: each typical page (home, a child record, a caseload, my week, a setting, the
   shortfall report) opened --repeat times in turn by a user of a role that opens it, beside
   `/healthz` (no sign-in, one `SELECT 1`): the floor of the same server in the same run.
4. Step search (optional): 1, 5, 10, 20, 30, 50 users for --step-seconds each, stopping at the
   first step that misses the target (p95 under 300 ms with no error): the users held.
5. Load: --users users (default 50, every role), each opening one of its role's pages every
   second for --duration seconds. The schedule is open-loop (a slow answer never delays the next
   request) and each latency is taken from the request's scheduled time, so queueing in the load
   generator counts against the server, never for it.

    python benchmarks/load.py                          # the full run (about 12 minutes on a busy 2-core machine)
    python benchmarks/load.py --duration 15 --no-steps # a quick check
    python benchmarks/load.py --database-url postgres://user@127.0.0.1:5432/fulfil   # an existing database

The load generator runs on the same machine as the server and the database, and takes CPU from
them: figures are for this machine as a whole, not for a server with its own cores. Figures are
printed and written to docs/benchmarks.md (section "## Load").
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import glob
import http.client
import json
import os
import platform
import pwd
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULFIL = str(Path(sys.executable).with_name("fulfil"))
DEMO_PASSWORD = "fulfil-demo-2026"  # noqa: S105 - the published password of the demo's sign-ins
TARGET_P95_MS = 300.0
TARGET_SINGLE_P50_MS = 100.0
CLIENT_TIMEOUT_S = 30.0

# 50 users: a realistic mix, most of them people who work with children every day.
ROLE_MIX = {"therapist": 14, "senco": 10, "parent": 8, "officer": 6, "manager": 5, "commissioner": 4, "admin": 3}
# The pages each role opens, in the order a user cycles through them.
ROLE_PAGES = {
    "officer": ["home", "child", "setting", "shortfall"],
    "commissioner": ["home", "shortfall"],
    "manager": ["home", "child", "caseload", "shortfall"],
    "therapist": ["home", "child", "caseload", "my week"],
    "senco": ["home", "child", "setting"],
    "parent": ["home", "child"],
    "admin": ["home"],
}
# Single-user pass: page -> the role that opens it.
SINGLE_USER_PAGES = [
    ("home", "officer"), ("child", "therapist"), ("caseload", "therapist"), ("my week", "therapist"),
    ("setting", "senco"), ("shortfall", "officer"), ("shortfall", "commissioner"),
]

# Run inside Django (base settings, the benchmark's database): create the benchmark accounts and
# their authenticators, and name each one's pages. Prints one JSON line.
SETUP_CHILD = r"""
import datetime as dt, json, sys
import django
django.setup()
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q
from django_otp.plugins.otp_totp.models import TOTPDevice
from fulfil.accounts.admin import administrator_permissions
from fulfil.accounts.models import FamilyLink, Role, User
from fulfil.accounts.scopes import children_visible_to, settings_visible_to, therapists_visible_to
from fulfil.children.models import Child
from fulfil.core import clock
from fulfil.core.models import LocalArea
from fulfil.schools.models import EducationSetting
from fulfil.workforce.models import Therapist

mix, password = json.loads(sys.argv[1]), sys.argv[2]
now, today = clock.now(), clock.today()
area = LocalArea.objects.order_by("id").first()
demo = {u.username: u for u in User.objects.filter(local_area=area, email__endswith="@example.com")}
roles = {"officer": Role.COUNCIL_OFFICER, "commissioner": Role.COMMISSIONER, "manager": Role.SERVICE_MANAGER,
         "therapist": Role.THERAPIST, "senco": Role.SENCO, "parent": Role.PARENT, "admin": Role.ADMIN}
hashed = make_password(password)
open_cases = Q(caseload__starts_on__lte=today) & (Q(caseload__ends_on__isnull=True) | Q(caseload__ends_on__gte=today))
free_therapists = list(
    Therapist.objects.filter(local_area=area, archived_at__isnull=True, user__isnull=True)
    .annotate(n=Count("caseload", filter=open_cases)).filter(n__gt=0).order_by("-n", "id")
)
schools = list(
    EducationSetting.objects.filter(local_area=area, archived_at__isnull=True)
    .annotate(n=Count("pupils", filter=Q(pupils__sen_status="ehcp"))).filter(n__gt=0).order_by("-n", "id")
)
planned = list(Child.objects.filter(local_area=area, sen_status="ehcp", provision_items__isnull=False).distinct().order_by("id"))


def spread(items, j, count):
    return items[(j * len(items)) // max(count, 1) % len(items)]


out = []
with transaction.atomic():
    for key, count in mix.items():
        template = demo[key]
        for j in range(count):
            username = f"load-{key}-{j + 1:02d}"
            user = User.objects.filter(username=username).first()
            if user is None:
                links = {}
                if key == "therapist":
                    links["therapist"] = free_therapists[j % len(free_therapists)]
                elif key == "manager":
                    links["provider"] = template.provider
                elif key == "senco":
                    links["setting"] = schools[j % len(schools)]
                user = User(username=username, first_name="Load", last_name=f"{key} {j + 1}", role=roles[key],
                            local_area=area, email=f"{username}@load.invalid", is_staff=key == "admin", **links)
            user.password = hashed
            user.is_active = True
            user.save()
            if key == "admin":
                user.user_permissions.set(administrator_permissions())
            if key == "parent" and not FamilyLink.objects.filter(user=user).exists():
                FamilyLink.objects.create(user=user, child=spread(planned, j, count), starts_on=today - dt.timedelta(days=400))
            TOTPDevice.objects.filter(user=user).delete()
            device = None
            if key != "parent":
                device = TOTPDevice.objects.create(user=user, name="load benchmark", confirmed=True)
            pages = {"home": "/"}
            visible = list(children_visible_to(user, now=now).filter(sen_status="ehcp").order_by("id").values_list("public_id", flat=True))
            if key in ("officer", "manager", "therapist", "senco", "parent") and visible:
                pages["child"] = f"/children/{spread(visible, j, count)}/"
            if key == "therapist":
                pages["caseload"] = f"/therapists/{user.therapist_id}/"
                pages["my week"] = "/therapy/my-week/"
            if key == "manager":
                team = list(therapists_visible_to(user).annotate(n=Count("caseload", filter=open_cases)).filter(n__gt=0).order_by("id")
                            .values_list("pk", flat=True))
                pages["caseload"] = f"/therapists/{spread(team, j, count)}/"
            if key == "senco":
                pages["setting"] = f"/settings/{user.setting_id}/"
            if key == "officer":
                visible_settings = list(settings_visible_to(user).order_by("id").values_list("pk", flat=True))
                pages["setting"] = f"/settings/{spread(visible_settings, j, count)}/"
            if key in ("officer", "manager", "commissioner"):
                pages["shortfall"] = "/reports/shortfall/"
            out.append({"username": username, "role": key, "key": device.key if device else None, "pages": pages})
print(json.dumps({"users": out, "area": area.name}))
"""


# --------------------------------------------------------------------------------------------
# The machine and the database


def machine() -> dict:
    cpu = "unknown CPU"
    ram_gib = 0.0
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram_gib = kib / 1024 / 1024
    except (OSError, StopIteration, AttributeError):
        pass
    return {"node": platform.node() or "unknown", "arch": platform.machine(), "cores": os.cpu_count(), "cpu": cpu,
            "ram_gib": ram_gib, "python": platform.python_version(), "load_before": os.getloadavg()}


def code_version() -> str:
    """The commit measured, when this script runs in a git checkout ("" in a copy without .git)."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)  # noqa: S607
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f"commit {head.stdout.strip()}" + (" with uncommitted changes" if dirty else "")


def free_port(start: int | None = None) -> int:
    for port in ([*range(start, start + 50)] if start else [0]):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit("no free port")


class Postgres:
    """A throwaway cluster in a temporary directory: initdb, start, and everything removed at the end."""

    def __init__(self, tmp: Path, port: int):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not bins:
            raise SystemExit("No PostgreSQL binaries in /usr/lib/postgresql/*/bin: give --database-url")
        self.bin, self.tmp, self.port = Path(bins[-1]), tmp, port
        self.data = tmp / "pgdata"
        self.version = self.bin.parent.name
        self.as_root = os.geteuid() == 0

    def run(self, *argv: str) -> None:
        cmd = [str(a) for a in argv]
        if self.as_root:  # PostgreSQL refuses to run as root
            cmd = ["su", "postgres", "-c", shlex.join(cmd)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> str:
        if self.as_root:
            pg = pwd.getpwnam("postgres")
            os.chown(self.tmp, pg.pw_uid, pg.pw_gid)
        self.run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
        options = f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1"
        self.run(self.bin / "pg_ctl", "-D", self.data, "-l", self.tmp / "postgres.log", "-o", options, "-w", "start")
        self.run(self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "fulfil")
        return f"postgres://postgres@127.0.0.1:{self.port}/fulfil"

    def stop(self) -> None:
        try:
            self.run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        except subprocess.CalledProcessError:
            pass


# --------------------------------------------------------------------------------------------
# HTTP: one connection per request, cookies kept per user


@dataclass
class Client:
    host: str
    port: int
    username: str = ""
    role: str = ""
    key: str | None = None
    pages: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, path: str, *, method: str = "GET", form: dict | None = None, timeout: float = CLIENT_TIMEOUT_S):
        origin = f"https://{self.host}:{self.port}"
        headers = {"Host": f"{self.host}:{self.port}", "X-Forwarded-Proto": "https", "User-Agent": "fulfil-load-benchmark",
                   "Accept": "text/html"}
        with self.lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + path})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for raw in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            with self.lock:
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), data

    def form_token(self, path: str) -> str:
        status, _, body = self.request(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise RuntimeError(f"{self.username}: {path} answered {status} without a form")
        return match.group(1).decode()

    def sign_in(self) -> None:
        token = self.form_token("/sign-in/")
        status, location, _ = self.request("/sign-in/", method="POST",
                                           form={"csrfmiddlewaretoken": token, "username": self.username, "password": DEMO_PASSWORD})
        if status != 302:
            raise RuntimeError(f"{self.username}: sign-in answered {status}")
        if self.key:
            from django_otp.oath import TOTP

            token = self.form_token("/sign-in/code/")
            code = f"{TOTP(bytes.fromhex(self.key)).token():06d}"
            status, location, _ = self.request("/sign-in/code/", method="POST", form={"csrfmiddlewaretoken": token, "code": code})
            if status != 302:
                raise RuntimeError(f"{self.username}: the authenticator code answered {status}")
        status, location, _ = self.request("/")
        if status != 200:
            raise RuntimeError(f"{self.username}: home answered {status} {location} after signing in")


# --------------------------------------------------------------------------------------------
# Figures


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile; nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))]


def ms(seconds: float) -> str:
    return "-" if seconds != seconds else f"{seconds * 1000:,.0f} ms"


@dataclass
class Result:
    page: str
    role: str
    ok: bool
    latency: float
    error: str = ""


def single_user(clients: list[Client], healthz: Client, repeat: int) -> list[dict]:
    rows = []
    cases = [("/healthz (floor)", "no sign-in", healthz, "/healthz")]
    for page, role in SINGLE_USER_PAGES:
        client = next((c for c in clients if c.role == role and page in c.pages), None)
        if client is not None:
            cases.append((page, role, client, client.pages[page]))
    for page, role, client, path in cases:
        client.request(path)  # warm-up, not timed
        times, errors = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            try:
                status, _, _ = client.request(path)
            except OSError:
                status = 0
            times.append(time.perf_counter() - started)
            errors += status != 200
        row = {"page": page, "role": role, "path": path, "n": repeat, "errors": errors,
               "p50": pct(times, 50), "p95": pct(times, 95)}
        print(f"  single user: {page:<18} as {role:<12} p50 {ms(row['p50']):>9}  p95 {ms(row['p95']):>9}  errors {errors}", flush=True)
        rows.append(row)
    return rows


def load_pass(clients: list[Client], seconds: int, threads: int = 1024) -> dict:
    """Each client opens one of its pages every second, open-loop; latency from the scheduled time."""
    results: list[Result] = []
    lock = threading.Lock()
    cpu_before = time.process_time()
    n = len(clients)
    start = time.perf_counter() + 0.5

    def hit(when: float, client: Client, page: str) -> None:
        error = ""
        # Every request is given up 30 s after its scheduled time, wherever that time went.
        remaining = when + CLIENT_TIMEOUT_S - time.perf_counter()
        try:
            if remaining <= 0:
                raise TimeoutError("not sent in time")
            status, location, _ = client.request(client.pages[page], timeout=remaining)
            ok = status == 200
            if not ok:
                error = f"{status} {location}".strip()
        except (OSError, http.client.HTTPException) as failure:
            ok, error = False, type(failure).__name__
        result = Result(page, client.role, ok, time.perf_counter() - when, error)
        with lock:
            results.append(result)

    with cf.ThreadPoolExecutor(max_workers=threads) as pool:
        for tick in range(seconds):
            for i, client in enumerate(clients):
                when = start + tick + i / n  # users spread over the second, not all at once
                pages = [p for p in ROLE_PAGES[client.role] if p in client.pages]
                page = pages[(i + tick) % len(pages)]
                delay = when - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(hit, when, client, page)
    finished = time.perf_counter()
    cpu = time.process_time() - cpu_before
    roles: dict[str, int] = {}
    for client in clients:
        roles[client.role] = roles.get(client.role, 0) + 1
    latencies = [r.latency for r in results if r.ok]
    all_latencies = [r.latency for r in results]
    by_page = {}
    for page in dict.fromkeys(r.page for r in results):
        mine = [r for r in results if r.page == page]
        by_page[page] = {"n": len(mine), "errors": sum(not r.ok for r in mine),
                         "p50": pct([r.latency for r in mine], 50), "p95": pct([r.latency for r in mine], 95)}
    errors = [r for r in results if not r.ok]
    kinds: dict[str, int] = {}
    for r in errors:
        kinds[f"{r.page}: {r.error}"] = kinds.get(f"{r.page}: {r.error}", 0) + 1
    return {
        "users": n, "seconds": seconds, "cpu_s": cpu, "roles": ", ".join(f"{v} {k}" for k, v in roles.items()),
        "requests": len(results), "errors": len(errors), "error_kinds": kinds,
        "ok": len(latencies), "pages_per_s": len(latencies) / (finished - start), "wall_s": finished - start,
        # Every request, errors included (a timed-out request counts at its time-out): nothing looks faster by failing.
        "p50": pct(all_latencies, 50), "p95": pct(all_latencies, 95), "p99": pct(all_latencies, 99),
        "by_page": by_page, "held": not errors and pct(all_latencies, 95) * 1000 < TARGET_P95_MS,
    }


def drain(healthz: Client, limit: float = 120.0) -> None:
    """Wait until the server has worked off any backlog (its floor answers quickly again)."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            healthz.request("/healthz", timeout=10)
            if time.perf_counter() - started < 0.2:
                return
        except OSError:
            pass
        time.sleep(1)


def interleave(clients: list[Client]) -> list[Client]:
    """An order in which every prefix holds the roles in about the mix's proportions."""
    counts = {role: sum(c.role == role for c in clients) for role in ROLE_MIX}
    seen: dict[str, int] = {}
    keyed = []
    for c in clients:
        j = seen.get(c.role, 0)
        seen[c.role] = j + 1
        keyed.append(((j + 0.5) / counts[c.role], -counts[c.role], c.username, c))
    return [k[-1] for k in sorted(keyed, key=lambda k: k[:3])]


# --------------------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="Use this PostgreSQL database (the demo is generated if it is empty) "
                                               "instead of a throwaway cluster; load-* accounts are added to it")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="Seconds of the load pass (default 60)")
    parser.add_argument("--repeat", type=int, default=20, help="Requests per page in the single-user pass")
    parser.add_argument("--steps", default="1,5,10,20,30,50", help="Users per step of the search for the users held")
    parser.add_argument("--step-seconds", type=int, default=15)
    parser.add_argument("--no-steps", action="store_true", help="Skip the step search")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: fulfil serve's own)")
    parser.add_argument("--threads", type=int, default=None, help="Threads per worker (default: fulfil serve's own)")
    parser.add_argument("--note", default="", help="A sentence for the doc, e.g. what else the machine was doing")
    parser.add_argument("--no-write", action="store_true", help="Print only; leave docs/benchmarks.md alone")
    options = parser.parse_args()
    if options.users > sum(ROLE_MIX.values()):
        raise SystemExit(f"At most {sum(ROLE_MIX.values())} users")
    return options


def demo_ready(url: str, mix: dict[str, int]) -> tuple[dict[str, str], dict]:
    """Step 1 and 2's accounts: the demo area in the database at `url`, and the benchmark users
    (returned with the environment every later command runs in)."""
    # PYTHONPATH: the code beside this script, even when it is a copy outside the installed checkout.
    base_env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.base",
                "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    base_env.pop("FULFIL_MIGRATE_DATABASE_URL", None)
    started = time.perf_counter()
    proc = subprocess.run([FULFIL, "demo", "--no-serve"], env=base_env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr[-5000:])
        raise SystemExit("fulfil demo --no-serve failed")
    print(f"Demo area ready in {time.perf_counter() - started:.0f} s", flush=True)
    proc = subprocess.run([sys.executable, "-c", SETUP_CHILD, json.dumps(mix), DEMO_PASSWORD],
                          env=base_env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit("creating the benchmark accounts failed")
    return base_env, json.loads(proc.stdout.strip().splitlines()[-1])


def server_command(options: argparse.Namespace, base_env: dict[str, str], port: int) -> tuple[list[str], dict[str, str], str, str]:
    """`fulfil serve` with the production settings on the loopback, as if behind the TLS proxy:
    the command, its environment, and the workers and threads it will run."""
    serve = [FULFIL, "serve", "--bind", f"127.0.0.1:{port}"]
    if options.workers:
        serve += ["--workers", str(options.workers)]
    if options.threads:
        serve += ["--threads", str(options.threads)]
    serve_env = {**base_env, "DJANGO_SETTINGS_MODULE": "config.settings.production",
                 "FULFIL_SECRET_KEY": secrets.token_urlsafe(50), "FULFIL_ALLOWED_HOSTS": "127.0.0.1",
                 "FULFIL_PROXY_SSL_HEADER": "X-Forwarded-Proto: https", "FULFIL_FORWARDED_ALLOW_IPS": "127.0.0.1"}
    printed = subprocess.run([*serve, "--print"], env=serve_env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    workers = re.search(r"--workers (\d+)", printed).group(1)
    threads = re.search(r"--threads (\d+)", printed).group(1)
    return serve, serve_env, workers, threads


def wait_until_answering(server: subprocess.Popen, healthz: Client, log_path: Path, timeout: float = 180) -> None:
    """Until `/healthz` answers 200; the server's log and a stop if it exits or takes longer."""
    deadline = time.perf_counter() + timeout
    while True:
        try:
            if healthz.request("/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        if server.poll() is not None or time.perf_counter() > deadline:
            sys.stderr.write(log_path.read_text()[-5000:])
            raise SystemExit("fulfil serve did not answer /healthz")
        time.sleep(0.5)


def signed_in(users: list[dict], port: int, mix: dict[str, int]) -> list[Client]:
    """Every benchmark user signed in (four at a time), in the interleaved order of the mix."""
    clients = [Client("127.0.0.1", port, u["username"], u["role"], u["key"], u["pages"]) for u in users]
    started = time.perf_counter()
    with cf.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(Client.sign_in, clients))
    print(f"{len(clients)} users signed in ({', '.join(f'{n} {r}' for r, n in mix.items())}) in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return interleave(clients)


def step_search(clients: list[Client], healthz: Client, options: argparse.Namespace) -> list[dict]:
    """Step 4: more users each step, stopping at the first step not held (or past the users there are)."""
    steps: list[dict] = []
    if options.no_steps:
        return steps
    for users in [int(s) for s in options.steps.split(",") if s.strip()]:
        if users > len(clients):
            break
        step = load_pass(clients[:users], options.step_seconds)
        steps.append(step)
        print(f"  step {users:>3} users x {options.step_seconds} s: p95 {ms(step['p95'])}, {step['errors']} errors, "
              f"{step['pages_per_s']:.1f} pages/s -> {'held' if step['held'] else 'not held'}", flush=True)
        drain(healthz)
        if not step["held"]:
            break
    return steps


def the_load(clients: list[Client], options: argparse.Namespace) -> dict:
    """Step 5: --users users for --duration seconds."""
    print(f"Load: {options.users} users x {options.duration} s ...", flush=True)
    main_pass = load_pass(clients[:options.users], options.duration)
    print(f"  {main_pass['requests']:,} requests, {main_pass['errors']:,} errors, {main_pass['pages_per_s']:.1f} pages/s, "
          f"p50 {ms(main_pass['p50'])}, p95 {ms(main_pass['p95'])}, p99 {ms(main_pass['p99'])}", flush=True)
    for kind, count in main_pass["error_kinds"].items():
        print(f"    error {kind}: {count}")
    return main_pass


def stop(server: subprocess.Popen | None, postgres: Postgres | None, tmp: Path) -> None:
    """The server (killed if it will not stop in 30 s), the throwaway cluster, the temporary files."""
    if server is not None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    if postgres is not None:
        postgres.stop()
    shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class Run:
    """What the report says about the run itself: the machine, the server, the database."""

    options: argparse.Namespace
    box: dict
    version: str
    elapsed: float
    workers: str
    threads: str
    pg_label: str
    load_after: tuple[float, float, float]


def users_held_text(steps: list[dict]) -> str:
    """The step search's answer: the largest step held, none, or not measured."""
    held = [s["users"] for s in steps if s["held"]]
    if not steps:
        return "not measured (`--no-steps`)"
    if held:
        return f"**{max(held)}** (the largest step with p95 under {TARGET_P95_MS:.0f} ms and no error)"
    return (f"**none**: the smallest step, {steps[0]['users']} user{'s' if steps[0]['users'] > 1 else ''}, "
            "missed it, and the search stopped there")


def command_line(options: argparse.Namespace) -> str:
    """The command that made the figures: the flags that differ from the defaults."""
    return "python benchmarks/load.py" + "".join(
        f" {flag}" for flag, on in [(f"--duration {options.duration}", options.duration != 60), ("--no-steps", options.no_steps),
                                    (f"--users {options.users}", options.users != 50), (f"--repeat {options.repeat}", options.repeat != 20)]
        if on)


def run_lines(run: Run) -> list[str]:
    box = run.box
    lines = [
        "## Load",
        "",
        f"Measured {dt.date.today().isoformat()} on {box['node']}: {box['arch']}, {box['cores']} cores ({box['cpu']}), "
        f"{box['ram_gib']:.0f} GiB RAM, Python {box['python']}, by `{command_line(run.options)}` in {run.elapsed / 60:.1f} minutes"
        f"{', code at ' + run.version if run.version else ''}. "
        f"`fulfil serve` with the production settings (MFA on, HTTPS as if from the TLS proxy), {run.workers} gunicorn workers x "
        f"{run.threads} threads, on {run.pg_label}, the Sutton-sized demo area; the load generator (Python threads, one connection "
        f"per request) on the same machine. Load average before the run {box['load_before'][0]:.2f}, after {run.load_after[0]:.2f}.",
    ]
    if run.options.note:
        lines += ["", run.options.note]
    return lines


def single_user_lines(single: list[dict], repeat: int) -> list[str]:
    """Each page's times beside the floor, `/healthz`, the first row."""
    floor = single[0]["p50"]
    lines = [
        "",
        f"### Single user ({repeat} requests per page, one after another; target p50 under {TARGET_SINGLE_P50_MS:.0f} ms)",
        "",
        "| page | as | p50 | p95 | p50 / floor | errors | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in single:
        ratio = "1.0x" if row is single[0] else f"{row['p50'] / floor:,.0f}x"
        target = "(baseline)" if row is single[0] else ("met" if row["p50"] * 1000 < TARGET_SINGLE_P50_MS and not row["errors"] else "missed")
        lines.append(f"| {row['page']} | {row['role']} | {ms(row['p50'])} | {ms(row['p95'])} | {ratio} | {row['errors']} | {target} |")
    return lines


def load_lines(main_pass: dict) -> list[str]:
    lines = [
        "",
        f"### {main_pass['users']} users, each opening a page of their role every second for {main_pass['seconds']} s "
        f"(target: no error, p95 under {TARGET_P95_MS:.0f} ms)",
        "",
        f"Users: {main_pass['roles']}. "
        "Open-loop: each request is sent at its time whatever the answers before it, and its latency counts from that "
        f"time; a request is given up {CLIENT_TIMEOUT_S:.0f} s after that time, an error that counts at about {CLIENT_TIMEOUT_S:.0f} s "
        "in the percentiles (so p95 and p99 stop near it when many requests time out).",
        "",
        f"The load generator itself used {main_pass['cpu_s']:.0f} s of CPU over the pass's {main_pass['wall_s']:.0f} s.",
        "",
        "| requests | errors | pages/s answered | p50 | p95 | p99 | target |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {main_pass['requests']:,} | {main_pass['errors']:,} | {main_pass['pages_per_s']:.1f} (of {main_pass['users']} asked) "
        f"| {ms(main_pass['p50'])} | {ms(main_pass['p95'])} | {ms(main_pass['p99'])} | {'met' if main_pass['held'] else 'missed'} |",
        "",
        "| page under load | requests | errors | p50 | p95 |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for page, row in main_pass["by_page"].items():
        lines.append(f"| {page} | {row['n']:,} | {row['errors']:,} | {ms(row['p50'])} | {ms(row['p95'])} |")
    if main_pass["error_kinds"]:
        lines += ["", "Errors: " + "; ".join(f"{k} ({v:,})" for k, v in main_pass["error_kinds"].items()) + "."]
    return lines


def steps_lines(steps: list[dict], step_seconds: int) -> list[str]:
    lines = ["", f"Users held at p95 under {TARGET_P95_MS:.0f} ms with no error: {users_held_text(steps)}."]
    if steps:
        lines += [
            "",
            f"| users (step of {step_seconds} s) | roles | requests | errors | pages/s answered | p50 | p95 | held |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for s in steps:
            lines.append(f"| {s['users']} | {s['roles']} | {s['requests']:,} | {s['errors']:,} | {s['pages_per_s']:.1f} | {ms(s['p50'])} "
                         f"| {ms(s['p95'])} | {'yes' if s['held'] else 'no'} |")
    return lines


def pages_lines() -> list[str]:
    return [
        "",
        "Pages: home is `/`; child is the child's record; caseload a therapist's page (`/therapists/<id>/`); my week "
        "`/therapy/my-week/`; setting a school's page (`/settings/<id>/`); shortfall the shortfall report as it opens. "
        "Each user opens the pages their role has in turn: "
        + "; ".join(f"{role}: {', '.join(pages)}" for role, pages in ROLE_PAGES.items()) + ". "
        "Each load therapist is a different therapist of the area, each SENCO at a different school, each parent a "
        "different child's; `/healthz` (no sign-in, one `SELECT 1`) is the floor of the same server in the same run.",
        "",
    ]


def report(run: Run, single: list[dict], steps: list[dict], main_pass: dict) -> str:
    """The section "## Load" of docs/benchmarks.md."""
    return "\n".join(run_lines(run) + single_user_lines(single, run.options.repeat) + load_lines(main_pass)
                     + steps_lines(steps, run.options.step_seconds) + pages_lines())


def main() -> None:
    options = arguments()
    began = time.perf_counter()
    box = machine()
    version = code_version()
    print(f"{box['node']}: {box['cores']} cores, {box['ram_gib']:.0f} GiB, {box['cpu']}; load average {box['load_before'][0]:.2f}", flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="fulfil-load-"))
    postgres = None
    server = None
    try:
        if options.database_url:
            url, pg_label = options.database_url, "PostgreSQL (given by --database-url)"
        else:
            postgres = Postgres(tmp, free_port(54343))
            url = postgres.start()
            pg_label = f"PostgreSQL {postgres.version} (throwaway cluster, default configuration)"
            print(f"PostgreSQL {postgres.version} on port {postgres.port}", flush=True)
        mix = dict(ROLE_MIX)
        base_env, setup = demo_ready(url, mix)

        port = free_port()
        serve, serve_env, workers, threads = server_command(options, base_env, port)
        log = open(tmp / "serve.log", "w")  # closed with the server
        server = subprocess.Popen(serve, env=serve_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        healthz = Client("127.0.0.1", port)
        wait_until_answering(server, healthz, tmp / "serve.log")
        print(f"fulfil serve on 127.0.0.1:{port}: {workers} workers x {threads} threads (production settings)", flush=True)

        clients = signed_in(setup["users"], port, mix)
        print("Single user:", flush=True)
        single = single_user(clients, healthz, options.repeat)
        drain(healthz)
        steps = step_search(clients, healthz, options)
        main_pass = the_load(clients, options)
        load_after = os.getloadavg()
    finally:
        stop(server, postgres, tmp)
    run = Run(options=options, box=box, version=version, elapsed=time.perf_counter() - began, workers=workers,
              threads=threads, pg_label=pg_label, load_after=load_after)
    text = report(run, single, steps, main_pass)
    print()
    print(text)
    print(f"Benchmark took {run.elapsed / 60:.1f} minutes.")
    if not options.no_write:
        sys.path.insert(0, str(ROOT))
        from benchmarks._docs import write_section

        write_section("Load", text)


if __name__ == "__main__":
    main()
