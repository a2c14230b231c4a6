"""Signals other apps listen to (evaluation re-evaluates) without collection depending on them."""

from django.dispatch import Signal

# Sent after a committed change of figures: unit (AdminUnit), catalog (Catalog).
figures_changed = Signal()
