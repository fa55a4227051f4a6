"""The «Rekneskap ÅÅÅÅ» PDF: WeasyPrint, PDF/A like the action plan, in the agreement's målform."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from reporting.outputs import pdf as outputs_pdf

from .context import AccountsReport


def accounts_html(report: AccountsReport) -> str:
    with translation.override(report.language):
        return render_to_string("reporting/accounts_pdf.html", {"report": report})


def accounts_pdf(report: AccountsReport) -> bytes:
    # Through the module, so the tests' memo of renderings (tests/conftest.py) applies.
    return outputs_pdf.html_to_pdf(accounts_html(report))
