"""Real HTTP requests against a running server: health, login, overview, static files, PDF.

Usage: python scripts/smoke_http.py http://127.0.0.1:8765 USERNAME PASSWORD
Exits non-zero, saying what failed, if the production path does not work.
"""

from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request


def main(base: str, username: str, password: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path: str):
        return opener.open(base + path, timeout=30)

    health = get("/helse/")
    check(health.status == 200 and b'"ok"' in health.read(), "health endpoint")
    login_page = get("/konto/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
    check(token is not None, "CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
    ).encode()
    request = urllib.request.Request(
        base + "/konto/login/", data=form, headers={"Referer": base + "/konto/login/"}
    )
    front = opener.open(request, timeout=30)
    check(front.status == 200 and front.url.rstrip("/") == base, f"login (ended at {front.url})")
    overview = get("/avtale/vest-telemark/")
    html = overview.read().decode()
    check("Bygdevekstavtale for Vest-Telemark" in html, "overview page")
    check("default-src 'self'" in overview.headers.get("Content-Security-Policy", ""), "CSP header")
    stylesheet = re.search(r'href="(/static/css/bygdevekst\.[0-9a-f]+\.css)"', html)
    check(stylesheet is not None, "hashed static file names from collectstatic")
    check(get(stylesheet[1]).status == 200, "static file served by whitenoise")
    pdf = get("/rullering/vest-telemark/2025/handlingsplan.pdf")
    check(
        pdf.headers.get("Content-Type") == "application/pdf" and pdf.read(5) == b"%PDF-",
        "PDF download",
    )
    print("smoke: all requests answered as expected")


def check(ok: bool, what: str) -> None:
    if not ok:
        sys.exit(f"smoke: FAILED: {what}")
    print(f"smoke: ok: {what}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
