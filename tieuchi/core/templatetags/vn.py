"""Template filters for Vietnamese display."""

from django import template

from tieuchi.core.formatting import vn_number

register = template.Library()


@register.filter(name="vn_number")
def vn_number_filter(value, decimals=None):
    return vn_number(value, int(decimals) if decimals not in (None, "") else None)
