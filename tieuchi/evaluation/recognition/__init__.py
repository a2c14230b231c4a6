"""Recognition of a ward (QĐ 04/2022 Điều 5–9): registration and survey, dossier, appraisal
council and decision, yearly maintenance checks and revocation, one module per stage.

The steps are also importable from the package itself (`recognition.submit_dossier(...)`), the way
the tests call them; application code imports them from their own module.
"""

from tieuchi.evaluation.recognition.council import form_council, recognise, record_meeting, refuse
from tieuchi.evaluation.recognition.dossier import (
    accept_dossier,
    open_dossier,
    return_dossier,
    submit_dossier,
    update_checklist,
)
from tieuchi.evaluation.recognition.maintenance import maintenance_check, revoke
from tieuchi.evaluation.recognition.registration import record_survey, register
from tieuchi.evaluation.recognition.rules import CHECKLIST, deadlines, quorum, working_days_after

__all__ = [
    "CHECKLIST",
    "accept_dossier",
    "deadlines",
    "form_council",
    "maintenance_check",
    "open_dossier",
    "quorum",
    "recognise",
    "record_meeting",
    "record_survey",
    "refuse",
    "register",
    "return_dossier",
    "revoke",
    "submit_dossier",
    "update_checklist",
    "working_days_after",
]
