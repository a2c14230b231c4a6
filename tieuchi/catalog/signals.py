"""Signals other apps listen to without the catalog depending on them."""

from django.dispatch import Signal

# Sent after a catalog's thresholds or structure changed (not on an identical reload): catalog.
catalog_changed = Signal()
