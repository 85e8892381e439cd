"""How check-in values and targets read on every page: `{{ value|amount }}`."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

PLACES = Decimal("0.01")  # values are shown to two decimals at most


@register.filter
def amount(value) -> str:
    """25.0 -> "25", 2.50 -> "2.5", 1234.567 -> "1234.57", None -> "".

    Thousands are never grouped, so the same text can go back into a number input.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return ""
    if not number.is_finite():
        return ""
    rounded = number.quantize(PLACES, rounding=ROUND_HALF_UP)
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
