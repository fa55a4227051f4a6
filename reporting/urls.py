from django.urls import include, path

from . import steps, views
from .accounts import views as accounts
from .setup import views as setup

app_name = "reporting"
revision_patterns = [
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/start/", views.revision_start, name="revision-start"),
    path("<slug:slug>/<int:year>/", views.revision_detail, name="revision"),
    path("<slug:slug>/<int:year>/tekstar/", views.revision_notes, name="revision-notes"),
    path("<slug:slug>/<int:year>/frist/", views.revision_due, name="revision-due"),
    path("<slug:slug>/<int:year>/send/", steps.revision_submit, name="revision-submit"),
    path("<slug:slug>/<int:year>/godkjenn/", steps.revision_approve, name="revision-approve"),
    path(
        "<slug:slug>/<int:year>/send-tilbake/", steps.revision_send_back, name="revision-send-back"
    ),
    path("<slug:slug>/<int:year>/vedtak/<slug:org_key>/", steps.decision_edit, name="decision"),
    path("<slug:slug>/<int:year>/handlingsplan.pdf", views.revision_report, name="report-pdf"),
    path("<slug:slug>/<int:year>/handlingsplan.xlsx", views.revision_workbook, name="report-xlsx"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("ny-avtale/", setup.agreement_create, name="agreement-create"),
    path("planfil/", setup.plan_upload, name="plan-upload"),
    path("planfil/bruk/", setup.plan_apply, name="plan-apply"),
    path("rullering/", include(revision_patterns)),
    # The workbook's reader lives here, but the upload keeps its address under the budget.
    path("budsjett/<slug:slug>/last-opp/", views.workbook_upload, name="workbook-upload"),
    path("budsjett/<slug:slug>/last-opp/bruk/", views.workbook_apply, name="workbook-apply"),
    # The accounts' outputs live here (the PDF and workbook code), under the money's address.
    path(
        "rekneskap/<slug:slug>/<int:year>/rekneskap.pdf",
        accounts.accounts_report_pdf,
        name="accounts-pdf",
    ),
    path(
        "rekneskap/<slug:slug>/<int:year>/rekneskap.xlsx",
        accounts.accounts_report_xlsx,
        name="accounts-xlsx",
    ),
    path(
        "rekneskap/<slug:slug>/<int:year>/last-opp/",
        accounts.accounts_upload,
        name="accounts-upload",
    ),
    path(
        "rekneskap/<slug:slug>/<int:year>/last-opp/bruk/",
        accounts.accounts_upload_apply,
        name="accounts-upload-apply",
    ),
]
