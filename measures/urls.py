from django.urls import path

from . import editing, views

app_name = "measures"
urlpatterns = [
    path("avtale/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
    path("avtale/<slug:slug>/endre/", editing.agreement_edit, name="agreement-edit"),
    path("avtale/<slug:slug>/forehandsvis/", editing.markdown_preview, name="markdown-preview"),
    path(
        "avtale/<slug:slug>/delmal/<int:number>/endre/", editing.sub_goal_edit, name="sub-goal-edit"
    ),
    path("avtale/<slug:slug>/tiltak/ny/", editing.measure_create, name="measure-create"),
    path("avtale/<slug:slug>/tiltak/<slug:key>/", views.measure_detail, name="measure-detail"),
    path("avtale/<slug:slug>/tiltak/<slug:key>/endre/", editing.measure_edit, name="measure-edit"),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/tittel/",
        editing.measure_title_edit,
        name="measure-title",
    ),
    path("avtale/<slug:slug>/tiltak/<slug:key>/flytt/", editing.measure_move, name="measure-move"),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/avslutt/", editing.measure_close, name="measure-close"
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/opne/", editing.measure_reopen, name="measure-reopen"
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/historikk/",
        editing.measure_history,
        name="measure-history",
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/organisasjonar/",
        editing.measure_organisations,
        name="measure-organisations",
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/organisasjonar/ny/",
        editing.organisation_create,
        name="organisation-create",
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/organisasjonar/<int:pk>/fjern/",
        editing.involvement_remove,
        name="involvement-remove",
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/seksjonar/ny/",
        editing.section_create,
        name="section-create",
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/seksjonar/<int:pk>/endre/",
        editing.section_edit,
        name="section-edit",
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/seksjonar/<int:pk>/flytt/",
        editing.section_move,
        name="section-move",
    ),
    path(
        "avtale/<slug:slug>/tiltak/<slug:key>/seksjonar/<int:pk>/slett/",
        editing.section_delete,
        name="section-delete",
    ),
    path("avtale/<slug:slug>/tilgangar/", editing.people, name="people"),
    path(
        "avtale/<slug:slug>/tilgangar/invitasjonar/<int:pk>/send/",
        editing.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "avtale/<slug:slug>/tilgangar/invitasjonar/<int:pk>/trekk/",
        editing.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path(
        "avtale/<slug:slug>/tilgangar/roller/<int:pk>/endre/", editing.role_edit, name="role-edit"
    ),
    path(
        "avtale/<slug:slug>/tilgangar/roller/<int:pk>/trekk/",
        editing.role_withdraw,
        name="role-withdraw",
    ),
    path("avtale/<slug:slug>/organisasjonar/", views.organisation_list, name="organisation-list"),
    path(
        "avtale/<slug:slug>/organisasjonar/<slug:key>/",
        views.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "avtale/<slug:slug>/organisasjonar/<slug:key>/endre/",
        editing.organisation_edit,
        name="organisation-edit",
    ),
]
