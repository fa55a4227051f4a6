"""The plan file's keys (docs/plan-format.md): the only ones the reader accepts, in the order the
exporter writes them, for every kind of mapping in the file.

A mapping's kind is the key it stands under ("measures" for each entry of a `measures` list, ""
for the top level); these names are unique in the format, so a snapshot read back from the
database in another key order (PostgreSQL's jsonb sorts keys) can be put back in file order.
"""

from __future__ import annotations

from typing import Any

FORMAT = "bygdevekst-plan/1"

AGREEMENT_TEXTS = ("introduction", "framework", "priorities", "organisation_text", "anchoring_text")
# A plan without its revisions: the content of a snapshot.
PLAN_KEYS = ("format", "organisations", "agreement", "sub_goals", "budget")

KEYS: dict[str, tuple[str, ...]] = {
    "": (*PLAN_KEYS, "revisions", "money"),
    "organisations": ("key", "name", "short_name", "kind", "members"),
    "agreement": (
        "slug",
        "name",
        "pilot_name",
        "language",
        "signed_on",
        "first_year",
        "last_year",
        "parties",
        *AGREEMENT_TEXTS,
    ),
    "sub_goals": ("number", "title", "main_goal", "weight", "introduction", "remark", "measures"),
    "measures": (
        "key",
        "number",
        "title",
        "tagline",
        "leads",
        "leads_more",
        "partners",
        "partners_more",
        "timeframe",
        "priority",
        "status",
        "closed_on",
        "sections",
    ),
    "timeframe": ("start", "end"),
    "sections": ("kind", "heading", "body"),
    "budget": ("lines", "sources", "amounts", "footnotes"),
    "lines": ("key", "number", "title", "sub_goal"),
    "sources": ("key", "name", "state_cofinancing"),
    "footnotes": ("table", "year", "marker", "line", "column", "text"),
    # "approvals" are the current round's; "rounds" the earlier ones, KDD sent back, oldest first.
    "revisions": (
        "year",
        "status",
        "due_on",
        "submitted_at",
        "approved_at",
        "approvals",
        "rounds",
        "notes",
        "progress",
        "events",
        "snapshot",
    ),
    "approvals": (
        "organisation",
        "body",
        "planned_on",
        "decided_on",
        "decision",
        "case_reference",
        "comment",
    ),
    # A round's times and KDD's comment are its events' (submitted, sent_back).
    "rounds": ("number", "approvals"),
    "notes": ("measure", "kind", "text"),
    "progress": ("measure", "state", "text"),
    "events": ("kind", "at", "comment", "snapshot"),
    "snapshot": PLAN_KEYS,
}

# The money (docs/plan-format.md, `money`): never part of a snapshot, so `in_order` never meets
# it, and kept apart because its `events` take other keys than a revision's.
MONEY_KEYS: dict[str, tuple[str, ...]] = {
    "money": ("accounts", "payments"),
    "accounts": ("year", "status", "spending", "explanations", "events", "corrections"),
    "events": ("kind", "at", "comment"),
    "payments": ("year", "paid_on", "kroner", "reference", "recorded_at", "corrections"),
    "corrections": ("at", "reason", "changes"),
}

# Keys older files carry and the reader still takes, to check against (or, in a file without
# the events, to become) what now holds them: a round's times and comment are its events'.
RETIRED_KEYS: dict[str, tuple[str, ...]] = {"rounds": ("opened_at", "closed_at", "comment")}


def in_order(value: Any, kind: str = "") -> Any:
    """The data with every mapping's keys in file order (KEYS), nested mappings too."""
    if isinstance(value, list):
        return [in_order(item, kind) for item in value]
    if isinstance(value, dict) and kind in KEYS:
        order = KEYS[kind]
        ranked = sorted(value, key=lambda key: order.index(key) if key in order else len(order))
        return {key: in_order(value[key], key) for key in ranked}
    return value


def drop_empty(value: Any) -> Any:
    """Leave out optional keys with no value, so the file holds only what the plan says."""
    if isinstance(value, dict):
        kept = {k: drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [drop_empty(v) for v in value]
    return value
