"""Vietnamese number display: 87,5 and 1.234 (independent of the active locale)."""

from decimal import Decimal


def vn_number(value, decimals: int | None = None) -> str:
    """Format a number the Vietnamese way; trailing zeros after the comma are dropped."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if decimals is not None:
        number = round(number, decimals)
    sign = "-" if number < 0 else ""
    number = abs(number)
    text = format(number, "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    return f"{sign}{result},{fraction}" if fraction else f"{sign}{result}"
