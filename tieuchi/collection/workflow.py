"""The workflow of a unit's figures for one period, as a table: which move goes from where to where,
who may make it and whether it needs a reason. The services in entry.py apply it.

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

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"

EDITOR, REVIEWER, APPROVER = "editor", "reviewer", "approver"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    who: str
    needs_reason: bool
    label: str  # the button, in Vietnamese
    done: str  # the message after the move, in Vietnamese


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit",
            frozenset({DRAFT, RETURNED}),
            SUBMITTED,
            EDITOR,
            False,
            "Gửi duyệt",
            "Đã gửi số liệu cho cấp trên duyệt.",
        ),
        Transition(
            "return",
            frozenset({SUBMITTED}),
            RETURNED,
            REVIEWER,
            True,
            "Trả lại",
            "Đã trả lại số liệu để đơn vị sửa.",
        ),
        Transition(
            "approve",
            frozenset({SUBMITTED}),
            APPROVED,
            APPROVER,
            False,
            "Duyệt",
            "Đã duyệt; số liệu được khóa.",
        ),
        Transition(
            "reopen",
            frozenset({APPROVED}),
            DRAFT,
            APPROVER,
            True,
            "Mở khóa",
            "Đã mở khóa số liệu để sửa.",
        ),
    )
}

# The status each figure of the set takes after a move ("return" marks only the figures named in
# the reason as returned; the others go back to draft).
FIGURE_STATUS = {"submit": SUBMITTED, "return": DRAFT, "approve": APPROVED, "reopen": DRAFT}

STATE_LABELS = {
    DRAFT: "Đang nhập",
    SUBMITTED: "Đã gửi, chờ duyệt",
    RETURNED: "Bị trả lại",
    APPROVED: "Đã duyệt, đã khóa",
}


class TransitionRefused(Exception):
    """A move that the table does not allow from the current state (message in Vietnamese)."""


def transition(action: str, state: str) -> Transition:
    """The move `action` from `state`, or TransitionRefused saying why not."""
    move = TRANSITIONS.get(action)
    if move is None:
        raise TransitionRefused(f"Không có thao tác '{action}'.")
    if state not in move.sources:
        raise TransitionRefused(
            f"Không thể {move.label.lower()} khi số liệu đang ở trạng thái "
            f"“{STATE_LABELS.get(state, state)}”."
        )
    return move


def moves_from(state: str) -> list[Transition]:
    return [move for move in TRANSITIONS.values() if state in move.sources]


def entry_open(state: str) -> bool:
    """Figures can be typed while the set is a draft or was returned for correction."""
    return state in (DRAFT, RETURNED)
