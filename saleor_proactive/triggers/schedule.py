"""When a rule may fire: week days and a daily window in the rule's own time zone.

A window whose `from` is after its `to` runs overnight and belongs to the day it starts on:
`fri 22:00-02:00` is open on Saturday at 01:00. Local wall-clock time is used, so a window
keeps its hours across daylight-saving changes. The schedule is checked at the moment of the
response; a prompt waiting for `showAfterMs` is not withdrawn if the window closes meanwhile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..validation import (
    DocumentError,
    Reader,
    expect_list,
    expect_object,
    join,
    read_fields,
    type_name,
)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*")


@dataclass(frozen=True)
class Schedule:
    timezone: str
    days: tuple[str, ...]  # in week order
    start: int | None = None  # minutes after local midnight
    end: int | None = None
    zone: ZoneInfo = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", ZoneInfo(self.timezone))

    def is_open(self, now: datetime) -> bool:
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        local = now.astimezone(self.zone)
        day = DAYS[local.weekday()]
        if self.start is None or self.end is None:
            return day in self.days
        minute = local.hour * 60 + local.minute
        if self.start < self.end:
            return day in self.days and self.start <= minute < self.end
        yesterday = DAYS[(local - timedelta(days=1)).weekday()]
        return (day in self.days and minute >= self.start) or (
            yesterday in self.days and minute < self.end
        )

    def describe(self) -> str:
        days = "every day" if len(self.days) == 7 else ", ".join(d.title() for d in self.days)
        hours = ""
        if self.start is not None and self.end is not None:
            hours = f" {_hhmm(self.start)}-{_hhmm(self.end)}"
        return f"{days}{hours} {self.timezone}"

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"timezone": self.timezone, "days": list(self.days)}
        if self.start is not None and self.end is not None:
            document["from"] = _hhmm(self.start)
            document["to"] = _hhmm(self.end)
        return document


def parse_schedule(value: object, path: str = "schedule") -> Schedule:
    fields = read_fields(expect_object(value, path), _READERS, path)
    if "timezone" not in fields:
        raise DocumentError(join(path, "timezone"), "is required, e.g. Europe/Madrid")
    days = fields.get("days", DAYS)
    if ("from" in fields) != ("to" in fields):
        missing = "to" if "from" in fields else "from"
        raise DocumentError(join(path, missing), "`from` and `to` go together")
    if "from" not in fields:
        return Schedule(fields["timezone"], days)
    start, end = fields["from"], fields["to"]
    if start == end:
        raise DocumentError(join(path, "to"), "must differ from `from`; leave both out for all day")
    return Schedule(fields["timezone"], days, start, end)


def _parse_zone(value: object, path: str) -> str:
    if not isinstance(value, str) or len(value) > 64 or not _ZONE.fullmatch(value):
        raise DocumentError(path, "must be an IANA time zone like Europe/Madrid")
    try:
        if value not in _zone_names():
            raise ZoneInfoNotFoundError(value)
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise DocumentError(path, f"unknown time zone {value}") from None
    return value


@cache
def _zone_names() -> frozenset[str]:
    """The zones the database names. Not `localtime`, the server's own zone, which would move
    with the machine; `posixrules` and the `posix/` and `right/` copies are not listed either,
    though the zone files are there to load."""
    return frozenset(available_timezones() - {"localtime"})


def _parse_days(value: object, path: str) -> tuple[str, ...]:
    days = expect_list(value, path)
    if not days:
        raise DocumentError(path, "needs at least one day")
    for i, day in enumerate(days):
        if day not in DAYS:
            shown = day if isinstance(day, str) else type_name(day)
            raise DocumentError(join(path, i), f"unknown day {shown}; use {', '.join(DAYS)}")
    return tuple(d for d in DAYS if d in days)


def _parse_time(value: object, path: str) -> int:
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise DocumentError(path, "must be a time like 09:30 (24-hour HH:MM)")
    return int(match.group(1)) * 60 + int(match.group(2))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_READERS: dict[str, Reader] = {
    "timezone": _parse_zone,
    "days": _parse_days,
    "from": _parse_time,
    "to": _parse_time,
}
