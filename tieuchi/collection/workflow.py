"""The workflow of a unit's figures for one period, as a table: which move goes from where to where,
who may make it and whether it needs a reason. The services in entry/transitions.py apply it.

    draft ──submit──▶ submitted ──approve──▶ approved ──reopen (reason)──▶ draft
      ▲                  │
      └──── returned ◀───┘ return (reason); a returned set is corrected and submitted again

"Who" is one of:
- editor: someone who may enter the unit's figures (accounts.roles.EDITOR_ROLES on the unit or
  above it);
- reviewer: someone checking the figures on a unit ABOVE (an approver, or the ward's officers:
  implementer and criterion lead), who may send them back;
- approver: accounts.roles.APPROVER_ROLES on a unit ABOVE: the ward leader for a TDP's figures,
  the district inspector for a ward's. The approver never entered any of the figures.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"

EDITOR, REVIEWER, APPROVER = "editor", "reviewer", "approver"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    who: str
    needs_reason: bool
    label: str  # the button, in Vietnamese (pages show it translated)
    done: str  # the message after the move, in Vietnamese (pages show it translated)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit",
            frozenset({DRAFT, RETURNED}),
            SUBMITTED,
            EDITOR,
            False,
            gettext_noop("Gửi duyệt"),
            gettext_noop("Đã gửi số liệu cho cấp trên duyệt."),
        ),
        Transition(
            "return",
            frozenset({SUBMITTED}),
            RETURNED,
            REVIEWER,
            True,
            gettext_noop("Trả lại"),
            gettext_noop("Đã trả lại số liệu để đơn vị sửa."),
        ),
        Transition(
            "approve",
            frozenset({SUBMITTED}),
            APPROVED,
            APPROVER,
            False,
            gettext_noop("Duyệt"),
            gettext_noop("Đã duyệt; số liệu được khóa."),
        ),
        Transition(
            "reopen",
            frozenset({APPROVED}),
            DRAFT,
            APPROVER,
            True,
            gettext_noop("Mở khóa"),
            gettext_noop("Đã mở khóa số liệu để sửa."),
        ),
    )
}

# The status each figure of the set takes after a move ("return" marks only the figures named in
# the reason as returned; the others go back to draft).
FIGURE_STATUS = {"submit": SUBMITTED, "return": DRAFT, "approve": APPROVED, "reopen": DRAFT}

# In Vietnamese, for messages and e-mails; pages translate them ({% translate state_label %}).
STATE_LABELS = {
    DRAFT: gettext_noop("Đang nhập"),
    SUBMITTED: gettext_noop("Đã gửi, chờ duyệt"),
    RETURNED: gettext_noop("Bị trả lại"),
    APPROVED: gettext_noop("Đã duyệt, đã khóa"),
}


class TransitionRefused(Exception):
    """A move that the table does not allow from the current state (message in Vietnamese)."""


def transition(action: str, state: str) -> Transition:
    """The move `action` from `state`, or TransitionRefused saying why not."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise TransitionRefused(_("Không có thao tác '%(action)s'.") % {"action": action})
    if state not in move.sources:
        raise TransitionRefused(
            _("Không thể %(what)s khi số liệu đang ở trạng thái “%(state)s”.")
            % {"what": _(move.label).lower(), "state": _(STATE_LABELS.get(state, state))}
        )
    return move


def moves_from(state: str) -> list[Transition]:
    return [move for move in TRANSITIONS.values() if state in move.sources]


def entry_open(state: str) -> bool:
    """Figures can be typed while the set is a draft or was returned for correction."""
    return state in (DRAFT, RETURNED)
