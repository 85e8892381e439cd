import zoneinfo
from functools import lru_cache

from django.core.exceptions import ValidationError

# Entries of the system's tz database that are not IANA zones: "localtime" is whatever the server's clock is
# set to, "Factory" is a placeholder with the abbreviation "-00", "posixrules" is a template for POSIX TZ strings,
# and posix/ and right/ are copies of the database (right/ counts leap seconds).
NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
NOT_ZONE_PREFIXES = ("posix/", "right/")


@lru_cache(maxsize=1)
def available_timezones():
    return frozenset(
        tz for tz in zoneinfo.available_timezones() if tz not in NOT_ZONES and not tz.startswith(NOT_ZONE_PREFIXES)
    )


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
