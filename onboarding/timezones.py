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


@lru_cache(maxsize=1)
def _by_folded_name():
    """Zones by their case-folded name, and by their city alone where only one zone has that city."""
    names = {tz.casefold(): tz for tz in available_timezones()}
    cities = {}
    for tz in timezone_choices():
        cities.setdefault(tz.rsplit("/", 1)[-1].casefold(), []).append(tz)
    return names, {city: zones[0] for city, zones in cities.items() if len(zones) == 1}


def resolve_timezone(typed: str) -> str:
    """What someone typed, as a zone: "Europe/Berlin" as it is, "europe/berlin" or "Berlin" or
    "new york" as the one zone they name; anything else unchanged, for validate_timezone to refuse."""
    text = typed.strip()
    if text in available_timezones():
        return text
    folded = text.replace(" ", "_").casefold()
    names, cities = _by_folded_name()
    return names.get(folded) or cities.get(folded) or text


def validate_timezone(value):
    if value not in available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, for example Europe/London.",
            params={"value": value},
            code="invalid_timezone",
        )
