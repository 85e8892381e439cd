import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError


@lru_cache(maxsize=1)
def available_timezones():
    return frozenset(zoneinfo.available_timezones())


@lru_cache(maxsize=1)
def timezone_choices():
    return sorted(tz for tz in available_timezones() if "/" in tz or tz == "UTC")


def validate_timezone(value):
    if value not in available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, for example Europe/London.",
            params={"value": value},
            code="invalid_timezone",
        )
