"""Who touched a set of figures: the labelled workflow steps and everyone who entered them."""

from tieuchi.accounts.models import AuditEvent
from tieuchi.collection import workflow
from tieuchi.collection.models import (
    Observation,
    Submission,
    SubmissionEvent,
)


def labelled_events(submission: Submission) -> list[SubmissionEvent]:
    """The set's workflow steps, each with from_label / to_label in Vietnamese."""
    events = list(submission.events.select_related("actor"))
    for event in events:
        event.from_label = workflow.STATE_LABELS.get(event.from_state, event.from_state)
        event.to_label = workflow.STATE_LABELS.get(event.to_state, event.to_state)
    return events


def entered_by(submission: Submission | None, observations) -> set[int]:
    """Everyone who entered one of the figures (now or earlier, by any channel) or sent the set."""
    ids = [str(o.pk) for o in observations]
    people = {o.entered_by_id for o in observations}
    if submission is not None:
        people.add(submission.submitted_by_id)
    people |= set(
        AuditEvent.objects.filter(
            object_type=Observation._meta.label_lower,
            object_id__in=ids,
            action__in=["create", "update"],
        ).values_list("actor_id", flat=True)
    )
    people.discard(None)
    return people
