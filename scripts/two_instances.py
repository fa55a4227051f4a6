"""Two servers on one database: limits, lockouts and cached pages hold across both.

Not a test: run by `make bench` (scripts/bench) when PostgreSQL answers on 127.0.0.1:5432, or
alone: `.venv/bin/python scripts/two_instances.py`. It makes its own database
(bygdevekst_two_instances, dropped first), migrates, imports the seed, makes the demo users and
starts two gunicorn instances of 2 workers each on two loopback ports, with the same
DATABASE_URL and e-mails written to files in a folder of their own. Then, through HTTP only:

1. 12 password-reset requests for one address, alternating between the instances: exactly
   RESET_MAILS e-mails may be written (access/password_reset.py).
2. Failed logins on instance A until it locks the username out: the right password on instance
   B must then be refused as locked too (django-axes' database handler).
3. The project leader edits a measure's title through A's edit form: a reader's overview on B
   (the whole page cached for readers) must show the new title at once, every round.

It prints the figures, exits non-zero if any check fails, talks to 127.0.0.1 only, bounds every
loop in count and time, and stops both servers whatever happens.
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST = "127.0.0.1"  # loopback only, always
DATABASE = "bygdevekst_two_instances"
DATABASE_URL = f"postgresql://postgres@{HOST}:5432/{DATABASE}"
PORT = int(os.environ.get("TWO_INSTANCES_PORT", "8791"))  # A; B is the next one
SLUG = "vest-telemark"
PASSWORD = "To-instansar-2026-passord"
LEADER, READER, LOCKED = "prosjektleiar", "kdd", "vinje"
LEADER_EMAIL = "prosjektleiar@example.no"
RESET_REQUESTS = 12
RESET_MAILS = 3  # access.password_reset.RESET_MAILS_PER_HOUR
LOGIN_ATTEMPTS_AT_MOST = 10  # axes locks at 5 (settings.AXES_FAILURE_LIMIT)
TITLE_ROUNDS = 5
READS_PER_ROUND = 4
DEADLINE_SECONDS = 300
REQUEST_TIMEOUT = 30


class Failed(Exception):
    """A step that could not be carried out (not a check that failed)."""


@dataclass
class Instance:
    """One gunicorn instance (a master and its 2 workers) on a loopback port."""

    name: str
    port: int
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"


class FormFields(HTMLParser):
    """The named inputs and textareas of the first POST form holding `wanted`, with values."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.forms, self.current, self.textarea = wanted, [], None, None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "form" and (found.get("method") or "").lower() == "post":
            self.current = {}
        elif self.current is not None and tag in {"input", "select"} and found.get("name"):
            if found.get("type") not in {"checkbox", "radio"} or "checked" in found:
                self.current[found["name"]] = found.get("value") or ""
        elif self.current is not None and tag == "textarea" and found.get("name"):
            self.textarea = found["name"]
            self.current[self.textarea] = ""

    def handle_data(self, data: str) -> None:
        if self.current is not None and self.textarea:
            self.current[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None

    def fields(self) -> dict:
        for form in self.forms:
            if self.wanted in form:
                return form
        raise Failed(f"no form with a field {self.wanted!r}")


class Browser:
    """One person's cookies against one instance: GET, and POST with the page's CSRF token."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.instance.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str]:
        url = self.instance.base + path
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, headers={"Referer": url}))

    def submit(self, path: str, wanted: str, changes: dict) -> tuple[int, str]:
        """Open the page at `path`, fill its form holding `wanted` with `changes`, send it."""
        status, page = self.get(path)
        if status != 200:
            raise Failed(f"{self.instance.name} {path}: {status}")
        parser = FormFields(wanted)
        parser.feed(page)
        return self.post(path, {**parser.fields(), **changes})

    def log_in(self, username: str, password: str) -> int:
        """200 logged in, 401 refused (the login form again), 429 locked out."""
        status, page = self.submit(
            "/konto/login/", "username", {"username": username, "password": password}
        )
        return 401 if status == 200 and 'name="password"' in page else status

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def run(*command: str, env: dict) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env: dict) -> None:
    """A fresh database with the seed plan and the demo users, and collected static files."""
    run("dropdb", "-h", HOST, "-U", "postgres", "--if-exists", DATABASE, env=env)
    run("createdb", "-h", HOST, "-U", "postgres", DATABASE, env=env)
    run(PY, "manage.py", "migrate", "--no-input", "-v0", env=env)
    run(PY, "manage.py", "collectstatic", "--no-input", "-v0", env=env)
    run(PY, "manage.py", "import_plan", f"fixtures/{SLUG}-2025.yaml", env=env)
    run(PY, "manage.py", "demo_users", "--agreement", SLUG, env=env)
    give_email = (
        "from django.contrib.auth import get_user_model;"
        f"get_user_model().objects.filter(username={LEADER!r}).update(email={LEADER_EMAIL!r})"
    )
    run(PY, "manage.py", "shell", "-c", give_email, env=env)


def start(instance: Instance, env: dict, log: Path) -> None:
    """gunicorn as the Dockerfile runs it, but 2 workers, in a process group of its own."""
    with log.open("ab") as out:
        instance.process = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "bygdevekst.wsgi",
                "--bind",
                f"{HOST}:{instance.port}",
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )


def wait_until_up(instance: Instance, deadline: float) -> None:
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            raise Failed(f"instance {instance.name} stopped (exit {instance.process.returncode})")
        try:
            urllib.request.urlopen(instance.base + "/helse/", timeout=1).close()
            return
        except OSError:
            time.sleep(0.25)
    raise Failed(f"instance {instance.name} did not answer in time")


def stop(instance: Instance) -> None:
    """Stop the instance's master (which stops its workers); kill its group if it hangs."""
    process = instance.process
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def mails_in(folder: Path) -> int:
    """E-mails the file backend wrote: each ends with a line of 79 dashes."""
    return sum(path.read_bytes().count(b"\n" + b"-" * 79 + b"\n") for path in folder.iterdir())


def reset_limit(a: Instance, b: Instance, mail_folder: Path) -> bool:
    browsers = [Browser(a), Browser(b)]
    answered = []
    for n in range(RESET_REQUESTS):
        status, _ = browsers[n % 2].submit("/konto/passord/nytt/", "email", {"email": LEADER_EMAIL})
        answered.append(status)
    sent = mails_in(mail_folder)
    print(
        f"Passord-nullstilling: {RESET_REQUESTS} førespurnader (annakvar til A og B), "
        f"svar {sorted(set(answered))}, e-postar sende: {sent} (venta {RESET_MAILS})"
    )
    return sent == RESET_MAILS and set(answered) == {200}


def lockout(a: Instance, b: Instance) -> bool:
    """Wrong passwords on A until it answers 429 (locked); then the right one on B."""
    attempts, locked_on_a = 0, False
    while attempts < LOGIN_ATTEMPTS_AT_MOST and not locked_on_a:
        attempts += 1
        status = Browser(a).log_in(LOCKED, "feil-passord-" + str(attempts))
        if status not in {401, 429}:
            raise Failed(f"a wrong password on A answered {status}")
        locked_on_a = status == 429
    status = Browser(b).log_in(LOCKED, PASSWORD)
    seen_on_b = status == 429
    print(
        f"Innlogging: {attempts} feil passord på A, stengd på A: {'ja' if locked_on_a else 'nei'}; "
        f"rett passord på B svarte {status}, stengd på B: {'ja' if seen_on_b else 'nei'}"
    )
    return locked_on_a and seen_on_b


def fresh_titles(a: Instance, b: Instance) -> bool:
    """The leader renames a measure on A; the reader's overview on B shows each new title."""
    leader, readers = Browser(a), [Browser(b), Browser(a)]
    if {leader.log_in(LEADER, PASSWORD), *(r.log_in(READER, PASSWORD) for r in readers)} != {200}:
        raise Failed("could not log in the leader on A or the reader on A and B")
    overview = f"/avtale/{SLUG}/"
    _, page = readers[0].get(overview)  # B caches the reader's page before the first edit
    key = re.search(rf'href="/avtale/{SLUG}/tiltak/([\w-]+)/"', page)
    if key is None:
        raise Failed("no measure link on the overview")
    title_path = f"/avtale/{SLUG}/tiltak/{key[1]}/tittel/"
    stale = reads = 0
    for round_ in range(1, TITLE_ROUNDS + 1):
        title = f"Tittel frå A, runde {round_} ({secrets.token_hex(3)})"
        status, page = leader.submit(title_path, "title", {"title": title})
        if status != 200 or "Tittelen er lagra." not in page:
            raise Failed(f"the title edit on A was not saved ({status})")
        for n in range(READS_PER_ROUND):
            _, page = readers[0 if n % 2 == 0 else 1].get(overview)  # B, A, B, A
            reads += 1
            stale += html.escape(title, quote=False) not in page
    print(
        f"Oversikta: {TITLE_ROUNDS} titlar endra på A, lesaren si oversikt på B (og A) "
        f"lese {reads} gonger, gamle: {stale} av {reads}"
    )
    return stale == 0


def main() -> int:
    deadline = time.monotonic() + DEADLINE_SECONDS
    work = Path(tempfile.mkdtemp(prefix="bygdevekst-two-"))
    mail_folder = work / "mail"
    mail_folder.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": "two-instances-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": HOST,
        "LOG_REQUESTS": "false",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(work / "static"),
        "EMAIL_FILE_PATH": str(mail_folder),
        "DEMO_PASSWORD": PASSWORD,
        "DJANGO_SETTINGS_MODULE": "bygdevekst.settings",
    }
    env.pop("SMTP_HOST", None)
    a, b = Instance("A", PORT), Instance("B", PORT + 1)
    # SIGTERM or SIGINT (make interrupted) leaves through the finally below as well.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        prepare(env)
        log = work / "gunicorn.log"
        for instance in (a, b):
            start(instance, env, log)
        for instance in (a, b):
            wait_until_up(instance, deadline)
        print(
            f"To gunicorn-instansar (2 arbeidarar kvar) på {a.base} og {b.base}, "
            f"same database ({DATABASE})"
        )
        results = [reset_limit(a, b, mail_folder), lockout(a, b), fresh_titles(a, b)]
        if time.monotonic() > deadline:
            raise Failed(f"took more than {DEADLINE_SECONDS} s")
    except (Failed, subprocess.CalledProcessError) as error:
        print(f"To instansar: FEILA: {error}", file=sys.stderr)
        return 1
    finally:
        for instance in (a, b):
            stop(instance)
        shutil.rmtree(work, ignore_errors=True)
    print("To instansar: " + ("alt heldt" if all(results) else "FEILA (sjå over)"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
