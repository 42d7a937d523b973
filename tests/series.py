"""The real 2025 Knowledge Building Series as EventInfo values, shared by tests, corpus and bench."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mailflow.model import EventInfo

LONDON = ZoneInfo("Europe/London")
DEFAULT_NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

# (id, title, format, date, keywords) in series order, from the 2025 announcement.
_SERIES: tuple[tuple[str, str, str, date, tuple[str, ...]], ...] = (
    (
        "construction-2025",
        "Construction (including materials)",
        "webinar",
        date(2025, 1, 29),
        ("construction", "building materials", "construction industry"),
    ),
    (
        "logistics-2025",
        "Logistics (including freight transport, warehouses)",
        "webinar",
        date(2025, 3, 28),
        ("logistics", "freight", "warehouse", "warehousing", "transport"),
    ),
    (
        "evidence-skills-may-2025",
        "Evidence skills training workshop",
        "workshop",
        date(2025, 5, 28),
        ("evidence skills", "evidence"),
    ),
    (
        "food-2025",
        "Food (including frozen imported seafood)",
        "webinar",
        date(2025, 6, 25),
        ("food", "seafood", "frozen seafood"),
    ),
    (
        "textiles-2025",
        "Textiles (including uniforms, linen)",
        "webinar",
        date(2025, 9, 24),
        ("textiles", "textile", "uniforms", "linen"),
    ),
    (
        "evidence-skills-oct-2025",
        "Evidence skills training workshop",
        "workshop",
        date(2025, 10, 29),
        ("evidence skills", "evidence"),
    ),
    (
        "furniture-2025",
        "Furniture",
        "webinar",
        date(2025, 12, 10),
        ("furniture",),
    ),
)


def series_2025(capacity: int = 15) -> tuple[EventInfo, ...]:
    """The seven 2025 sessions, 10:00-11:30 London time, registration closing a week before."""
    events = []
    for ordinal, (event_id, title, fmt, day, keywords) in enumerate(_SERIES, start=1):
        deadline = day - timedelta(days=8)
        events.append(
            EventInfo(
                id=event_id,
                title=title,
                format=fmt,
                starts=datetime.combine(day, time(10, 0), LONDON),
                ends=datetime.combine(day, time(11, 30), LONDON),
                capacity=capacity,
                registration_closes=datetime.combine(deadline, time(23, 59, 59), LONDON),
                keywords=keywords,
                ordinal=ordinal,
            )
        )
    return tuple(events)
