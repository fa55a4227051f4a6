"""Start the test provider as a process of its own, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .scenarios import SECRET, SUBSTANTIAL, client_id

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class RunningProvider:
    url: str
    database: Path

    @property
    def issuer(self) -> str:
        return self.url  # as its discovery document says

    def settings_for(self, scenario: str | None = None, **overrides) -> dict:
        """OIDC_PROVIDERS for an application that logs in with this provider's client for the
        scenario (scenarios.py), named as its callbacks were registered (`allow`)."""
        name = f"testid-{scenario}" if scenario else "testid"
        config = {
            "issuer": self.issuer,
            "client_id": client_id(scenario),
            "client_secret": SECRET,
            "scopes": ["openid", "profile"],
            "acr_values": [SUBSTANTIAL, "idporten-loa-high"],
            "label": "TestID",
        }
        return {name: config | overrides}

    def environment_for_app(self) -> dict[str, str]:
        """The application's settings (.env.example) for logging in with this provider."""
        config = self.settings_for()["testid"]
        return {
            "OIDC_PROVIDERS": "testid",
            "OIDC_TESTID_ISSUER": config["issuer"],
            "OIDC_TESTID_CLIENT_ID": config["client_id"],
            "OIDC_TESTID_CLIENT_SECRET": config["client_secret"],
            "OIDC_TESTID_SCOPES": " ".join(config["scopes"]),
            "OIDC_TESTID_ACR_VALUES": " ".join(config["acr_values"]),
            "OIDC_TESTID_LABEL": config["label"],
        }

    def manage(self, *args: str) -> None:
        """Run one of the provider's management commands against its database."""
        subprocess.run(
            [sys.executable, "-m", "django", *args],
            cwd=ROOT,
            env=environment(self.url, self.database),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def allow(self, *apps: str, name: str = "testid") -> None:
        """Let these application addresses log in here (their callbacks registered)."""
        self.manage("set_up_provider", "--name", name, *(f"--app={app}" for app in apps))


def environment(url: str, database: Path) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_URL": url,
        "OIDC_PROVIDER_DB": str(database),
        "PYTHONPATH": str(ROOT),
    }


@contextmanager
def running_provider(
    folder: Path, *apps: str, port: int | None = None, host: str = "127.0.0.1", url: str = ""
):
    """The provider, set up for these application addresses, until the block ends; `url` is
    the address the application and browsers reach it at, if not http://host:port."""
    port = port or free_port()
    url = url or f"http://{host}:{port}"
    provider = RunningProvider(url=url, database=folder / "provider.sqlite3")
    provider.allow(*apps)  # its tables made first
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.oidc_provider.wsgi:application",
            f"--bind={host}:{port}",
            "--workers=1",
            "--threads=4",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=environment(url, provider.database),
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/.well-known/openid-configuration", process)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test provider stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The test provider did not answer at {url}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
