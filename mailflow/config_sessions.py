"""The sessions ([[events]]) and member organisations ([[members]]) of config.toml, checked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mailflow.config_auth import Reads
from mailflow.config_keys import ConfigError
from mailflow.model import EventInfo, Member


def read_members(r: Reads, rows: Any) -> tuple[Member, ...]:
    if not isinstance(rows, list):
        raise ConfigError(f"{r.path}: [[members]] must be a list of tables.")
    members = []
    for i, row in enumerate(rows, start=1):
        s = f"members #{i}"
        name = r.required(row, s, "name", str)
        s = f"members \"{name}\""
        domains = r.required(row, s, "domains", list)
        if not domains or not all(isinstance(d, str) and "." in d for d in domains):
            raise r.fail(s, "domains must be a non-empty list of domain names.")
        membership = r.required(row, s, "membership", str)
        if membership not in ("full", "associate"):
            raise r.fail(s, f"membership must be \"full\" or \"associate\", "
                            f"not {membership!r}.")
        members.append(Member(name=name, domains=tuple(d.lower().strip(".") for d in domains),
                              membership=membership))
    return tuple(members)


def read_events(r: Reads, rows: Any, tz: ZoneInfo) -> tuple[EventInfo, ...]:
    """Every session, numbered by start ("ordinal") whatever order the file lists them in."""
    if not isinstance(rows, list):
        raise ConfigError(f"{r.path}: [[events]] must be a list of tables.")
    parsed: list[EventInfo] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        event_id = r.required(row, f"events #{i}", "id", str)
        if event_id in seen:
            raise r.fail(f"events \"{event_id}\"", "id is used by two events; each event "
                         "needs its own id.")
        seen.add(event_id)
        parsed.append(_event(r, row, event_id, tz))
    ordered = sorted(parsed, key=lambda e: e.starts)
    ordinal = {e.id: n for n, e in enumerate(ordered, start=1)}
    return tuple(
        EventInfo(**{**e.__dict__, "ordinal": ordinal[e.id]}) for e in parsed
    )


def _event(r: Reads, row: Mapping[str, Any], event_id: str, tz: ZoneInfo) -> EventInfo:
    s = f"events \"{event_id}\""
    fmt = r.optional(row, s, "format", str, "webinar")
    if fmt not in ("webinar", "workshop"):
        raise r.fail(s, f"format must be \"webinar\" or \"workshop\", not {fmt!r}.")
    starts = to_datetime(r, r.required(row, s, "starts", object), s, "starts", tz)
    ends = to_datetime(r, r.required(row, s, "ends", object), s, "ends", tz)
    if ends <= starts:
        raise r.fail(s, f"ends ({ends:%Y-%m-%d %H:%M}) must be after starts "
                        f"({starts:%Y-%m-%d %H:%M}).")
    capacity = r.required(row, s, "capacity", int)
    if capacity < 1:
        raise r.fail(s, f"capacity must be at least 1, not {capacity}.")
    deadline = to_date(r, r.required(row, s, "registration_deadline", object), s,
                       "registration_deadline")
    if deadline > starts.date():
        raise r.fail(s, f"registration_deadline {deadline} is after the session "
                        f"starts ({starts.date()}); set it on or before that day.")
    # Registration closes at the end of the deadline day, local time.
    closes = datetime.combine(deadline + timedelta(days=1), time(0, 0), tzinfo=tz)
    # The number the announcement gives the session ("Webinar 1"); ordinals use it.
    number = r.optional(row, s, "number", int, 0)
    if "number" in row and number < 1:
        raise r.fail(s, f"number must be a whole number from 1, not {number}.")
    keywords = r.optional(row, s, "keywords", list, [])
    if not all(isinstance(k, str) and k.strip() for k in keywords):
        raise r.fail(s, "keywords must be a list of words or phrases (strings).")
    return EventInfo(
        id=event_id,
        title=r.required(row, s, "title", str),
        format=fmt,
        starts=starts,
        ends=ends,
        capacity=capacity,
        registration_closes=closes,
        keywords=tuple(str(k).lower() for k in keywords),
        join_url=r.optional(row, s, "join_url", str, ""),
        joining_instructions=r.optional(row, s, "joining_instructions", str, ""),
        number=number,
    )


def to_date(r: Reads, value: Any, section: str, key: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise r.fail(section, f"{key} must be a date like 2025-01-21, not {value!r}."
                     ) from exc


def to_datetime(r: Reads, value: Any, section: str, key: str, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise r.fail(section, f"{key} must be a date and time like "
                                  f"2025-01-29T10:00, not {value!r}.") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def session_warnings(events: Sequence[EventInfo], now: datetime) -> list[str]:
    """Sessions that load but are probably not what the coordinator meant (shown, not fatal)."""
    warnings = []
    owners: dict[str, list[str]] = {}
    for event in events:
        for keyword in event.keywords:
            owners.setdefault(keyword, []).append(event.id)
    shared: dict[tuple[str, ...], list[str]] = {}
    for keyword, ids in owners.items():
        if len(ids) > 1:
            shared.setdefault(tuple(ids), []).append(keyword)
    for shared_by, keywords in shared.items():
        words = ", ".join(repr(k) for k in keywords)
        warnings.append(f"keyword{'s' if len(keywords) > 1 else ''} {words} name "
                        f"{len(shared_by)} sessions ({', '.join(shared_by)}): mail that names only "
                        "such a keyword cannot tell them apart.")
    for event in sorted(events, key=lambda e: e.starts):
        if event.ends <= now:
            warnings.append(f"session {event.id!r} ended on {event.ends:%Y-%m-%d}: it is "
                            "kept for the record; remove it or add the next series' sessions.")
        elif not event.keywords:
            warnings.append(f"session {event.id!r} has no keywords: mail can only find it "
                            "by its date or title.")
    return warnings
