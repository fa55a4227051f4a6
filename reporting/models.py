"""Django's entry point to the app's models: the revision's (revision/) and the outputs'."""

from reporting.outputs.models import StoredReport
from reporting.revision.models import (
    Approval,
    ApprovalRound,
    ImmutableRevisionError,
    MeasureNote,
    MeasureProgress,
    Revision,
    RevisionEvent,
    RevisionPart,
)

__all__ = [
    "Approval",
    "ApprovalRound",
    "ImmutableRevisionError",
    "MeasureNote",
    "MeasureProgress",
    "Revision",
    "RevisionEvent",
    "RevisionPart",
    "StoredReport",
]
