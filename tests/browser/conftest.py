"""Browser tests: Playwright drives the system Chromium against Django's live server.

Without Chromium they are skipped with the reason; with BROWSER_TESTS=required (CI) a missing
Chromium fails instead. Playwright never downloads a browser here.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from tests.support import ARTIFACTS

# Chromium's headless shell (Debian's chromium-headless-shell), which Playwright itself runs for
# headless tests: the same Blink and V8 as the browser without its desktop parts, at about half
# the browser's CPU here. Debian's full chromium, run headless, is the fallback.
HEADLESS_SHELL, FULL_BROWSER = Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium")
CHROMIUM = Path(
    os.environ.get("CHROMIUM_PATH") or (HEADLESS_SHELL if HEADLESS_SHELL.exists() else FULL_BROWSER)
)
# Flags for a sandboxed machine without network: no background traffic, no GPU.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = (
            f"Chromium not found at {CHROMIUM}: "
            "install Debian's chromium-headless-shell or chromium (CI does) or set CHROMIUM_PATH"
        )
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # (creating users and data) happen before and after page actions, never during them.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _windows_closed(request):
    """Every window a test opened is closed when it ends. An open one keeps its connections to
    the live server alive, and the server's thread for each keeps a database connection, which
    outlives the test and stops the test database from being dropped at the end."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


@pytest.fixture
def page(browser):
    """A desktop page; any Content-Security-Policy violation on it fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nn-NO")
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert violations == [], violations


@pytest.fixture
def screenshot():
    """Save a full-page picture under test-artifacts/ for a person to look at.

    Chromium's own screenshot, told to encode for speed (a larger PNG): Playwright's
    full-page PNG costs twice the CPU, and the suite takes some forty pictures."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        width, height = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        session = page.context.new_cdp_session(page)
        try:
            picture = session.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "optimizeForSpeed": True,
                    "captureBeyondViewport": True,
                    "clip": clip,
                },
            )
        finally:
            session.detach()
        path.write_bytes(base64.b64decode(picture["data"]))
        return path

    return take
