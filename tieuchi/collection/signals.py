"""Signals other apps listen to (evaluation re-evaluates) without collection depending on them."""

from django.dispatch import Signal

# Sent after a committed change of figures: unit (AdminUnit), catalog (Catalog); a single saved
# figure also names its measure (Measure) and period ("2023"), so only that measure is re-judged.
figures_changed = Signal()
