"""People in the database: names their mail carried, organisations, bounces that silence them."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mailflow.store_driver import write
from mailflow.store_unit import UnitBase
from mailflow.tables import PersonRow

HARD_BOUNCES_BEFORE_SILENCE = 3  # hard bounces before an address is no longer mailed

_T = PersonRow.__table__  # type: ignore[attr-defined]
FIELDS = ("name", "organisation", "hard_bounces", "last_bounce", "last_bounce_at")
_READ = select(_T.c.email, *(_T.c[f] for f in FIELDS)).where(
    _T.c.email.in_(bindparam("emails", expanding=True)))


@functools.cache
def _upsert(dialect: str) -> Any:
    # An upsert: another worker may have written the same person since we read them.
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(_T)
    return stmt.on_conflict_do_update(index_elements=["email"],
                                      set_={f: stmt.excluded[f] for f in FIELDS})


@dataclass
class Known:
    """One person's row as this transaction sees it."""

    name: str = ""
    organisation: str = ""
    hard_bounces: int = 0
    last_bounce: str = ""
    last_bounce_at: datetime | None = None


class People(UnitBase):
    """Each person is read once per transaction and written (an upsert) once, at commit."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._people: dict[str, Known | None] = {}
        self._people_changed: set[str] = set()

    def _known(self, emails: Iterable[str]) -> None:
        missing = sorted({e for e in emails if e not in self._people})
        if not missing:
            return
        for row in self._conn().execute(_READ, {"emails": missing}).all():
            self._people[row.email] = Known(*row[1:])
        for email in missing:
            self._people.setdefault(email, None)

    def _person(self, email: str) -> Known:
        """Their row, made (and to be written) when they have none."""
        self._known([email])
        person = self._people.get(email)
        if person is None:
            person = self._people[email] = Known()
        self._people_changed.add(email)
        return person

    def _remember_people(self, people: dict[str, tuple[str, str]]) -> None:
        """Keep a name for everyone with a place (the first organisation seen stays)."""
        self._known(people)
        for email, (name, organisation) in people.items():
            person = self._people.get(email)
            if person is None:
                self._people[email] = Known(name=name, organisation=organisation)
                self._people_changed.add(email)
                continue
            # A sender's name may be known (remember_name) before their organisation is.
            fill = organisation and not person.organisation
            if (name and person.name != name) or fill:
                person.name = name or person.name
                person.organisation = person.organisation or organisation
                self._people_changed.add(email)

    def remember_name(self, email: str, name: str) -> None:
        """Keep the display name someone's mail carried, to show and to address them by."""
        if email and name:
            self._remember_people({email: (name, "")})

    def names_of(self, emails: Sequence[str]) -> dict[str, str]:
        """The display names people's mail carried, for the addresses that had one."""
        self._known(emails)
        return {e: p.name for e in emails if (p := self._people.get(e)) is not None and p.name}

    def is_silenced(self, email: str) -> bool:
        """Whether an address has hard-bounced often enough that we stop mailing it."""
        self._known([email])
        person = self._people.get(email)
        return person is not None and person.hard_bounces >= HARD_BOUNCES_BEFORE_SILENCE

    def note_bounce(self, email: str, detail: str, now: datetime, *, hard: bool = False,
                    silence: bool = False) -> str:
        """Record a bounce (hard ones count towards silence; a complaint silences at once);
        returns the detail as stored."""
        person = self._person(email)
        if hard:
            person.hard_bounces += 1
        if silence:
            person.hard_bounces = max(person.hard_bounces, HARD_BOUNCES_BEFORE_SILENCE)
        person.last_bounce = detail.strip()[:300]
        person.last_bounce_at = now
        return person.last_bounce

    def _has_changes(self) -> bool:
        return bool(self._people_changed) or super()._has_changes()

    def _write_changes(self) -> None:
        if self._people_changed:
            rows = [dict(email=e, **vars(self._people[e])) for e in sorted(self._people_changed)]
            self._people_changed.clear()
            write(self._connected(), _upsert(self.engine.dialect.name), rows)
        super()._write_changes()

    def _discard(self) -> None:
        self._people.clear()
        self._people_changed.clear()
        super()._discard()
