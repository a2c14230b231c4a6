"""Signals other apps listen to (evaluation re-evaluates) without collection depending on them."""

from django.dispatch import Signal

# Sent after a committed change of figures: unit (AdminUnit), catalog (Catalog); a single saved
# figure also names its measure (Measure) and period ("2023"), so only that measure is re-judged.
# The signals of one commit about several units (an Excel import) share a `refreshed` set: a
# receiver notes there what it brought up to date, and skips it when a later signal asks again.
figures_changed = Signal()
