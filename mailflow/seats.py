"""The seat book of one session: places, waiting list, held offers and the rules that move them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from mailflow.model import EventInfo


class Status(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    EXPIRED = "expired"
    SUBSTITUTED = "substituted"  # handed the place to a colleague
    REMOVED = "removed"  # taken off by the coordinator


ACTIVE = frozenset({Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED})


@dataclass
class Place:
    """One person's standing for one session (at most one per person per session)."""

    email: str
    name: str
    organisation: str
    status: Status
    joined_at: datetime  # when they last asked: orders the waiting list
    queue: float  # waiting-list order key; explicit moves change it
    offer_expires: datetime | None = None
    forced: bool = False  # added over capacity by the coordinator
    id: int | None = None  # store key; None until stored
    dirty: bool = True  # changed since loaded from the store


@dataclass(frozen=True)
class Notice:
    """Something a person must be told: one outcome for one session.

    `email` is who it concerns; `actor` is who caused it (the sender of a request, or
    "coordinator"/"worker"), so the reply step can tell a requester's own answer apart
    from mail that goes to someone else.
    """

    outcome: str
    event_id: str
    email: str
    name: str = ""
    position: int | None = None  # waiting-list position
    offer_expires: datetime | None = None
    other: str = ""  # the colleague in a substitution, or who registered them
    other_name: str = ""
    role: str = ""  # "gave" / "received" (substitution), "booked-by" (registered by a colleague)
    sequence: int | None = None  # calendar SEQUENCE for the entry, stamped from the store
    changes: tuple[str, ...] = ()  # what changed in the session (a calendar update)
    session: EventInfo | None = None  # the session as last announced, once the config drops it


class NotLoaded(LookupError):
    """A rule asked about a place the store did not load (a bug, never a business answer)."""


@dataclass(frozen=True)
class Unloaded:
    """What the store counted about the places of a session it did not load.

    Handling one message loads only the places it can touch (the people it names and the
    head of the waiting list); the rest of the book is known by these counts, so a decision
    costs the same however many bookings a session holds. `emails` is None for a whole book.
    """

    taken: int = 0  # confirmed + offered among the places not loaded
    waiting: int = 0  # waitlisted among the places not loaded
    max_queue: float = 0.0  # highest queue key among the places not loaded
    # Loaded waitlisted place -> (its queue, its joined_at, unloaded waitlisted ahead of it)
    ahead: Mapping[str, tuple[float, datetime, int]] = field(default_factory=dict)
    emails: frozenset[str] | None = None  # addresses whose place (if any) was loaded

    @property
    def partial(self) -> bool:
        return self.emails is not None


@dataclass
class Roster:
    """Places for one session, with the rules that keep confirmed + offered <= capacity."""

    event: EventInfo
    places: list[Place] = field(default_factory=list)
    rest: Unloaded = field(default_factory=Unloaded)

    # ---- reading -------------------------------------------------------------------
    def place(self, email: str) -> Place | None:
        found = next((p for p in self.places if p.email == email), None)
        if found is None and self.rest.emails is not None and email not in self.rest.emails:
            raise NotLoaded(f"{email}'s place in {self.event.id} was not loaded")
        return found

    def active(self, email: str) -> Place | None:
        found = self.place(email)
        return found if found is not None and found.status in ACTIVE else None

    def with_status(self, status: Status) -> list[Place]:
        return [p for p in self.places if p.status == status]

    @property
    def waitlist(self) -> list[Place]:
        return sorted(self.with_status(Status.WAITLISTED), key=lambda p: (p.queue, p.joined_at))

    @property
    def taken(self) -> int:
        return (sum(1 for p in self.places if p.status in (Status.CONFIRMED, Status.OFFERED))
                + self.rest.taken)

    @property
    def waiting(self) -> int:
        """How many are on the waiting list, loaded or not."""
        return len(self.with_status(Status.WAITLISTED)) + self.rest.waiting

    @property
    def free(self) -> int:
        return max(0, self.event.capacity - self.taken)

    def position(self, email: str) -> int | None:
        for n, p in enumerate(self.waitlist, start=1):
            if p.email == email:
                return n + self._unloaded_ahead(p)
        return None

    def _unloaded_ahead(self, place: Place) -> int:
        if not self.rest.waiting:
            return 0
        known = self.rest.ahead.get(place.email)
        if known is not None and known[:2] == (place.queue, place.joined_at):
            return known[2]
        if place.queue > self.rest.max_queue:
            return self.rest.waiting  # joined behind everyone not loaded
        raise NotLoaded(f"{place.email}'s waiting-list position in {self.event.id} is unknown")

    def started(self, now: datetime) -> bool:
        return now >= self.event.starts

    def registration_open(self, now: datetime) -> bool:
        return now < self.event.registration_closes

    # ---- writing -------------------------------------------------------------------
    def _next_queue(self) -> float:
        # Past every key ever used, so a new arrival stays behind explicit moves too.
        return max(max((p.queue for p in self.places), default=0.0), self.rest.max_queue) + 1.0

    def _set(self, place: Place, status: Status, **changes: object) -> None:
        place.status = status
        place.offer_expires = None
        for key, value in changes.items():
            setattr(place, key, value)
        place.dirty = True

    def _enter(self, email: str, name: str, organisation: str, now: datetime,
               status: Status, forced: bool = False) -> Place:
        """Put a person on the book, reusing their old row (one row per person per session)."""
        place = self.place(email)
        if place is None:
            place = Place(email=email, name=name, organisation=organisation, status=status,
                          joined_at=now, queue=self._next_queue(), forced=forced)
            self.places.append(place)
            return place
        self._set(place, status, name=name or place.name,
                  organisation=organisation or place.organisation, joined_at=now,
                  queue=self._next_queue(), forced=forced)
        return place

    def _notice(self, outcome: str, place: Place, **extra: object) -> Notice:
        return Notice(outcome=outcome, event_id=self.event.id, email=place.email,
                      name=place.name, **extra)  # type: ignore[arg-type]

    def _waitlisted(self, place: Place) -> Notice:
        return self._notice("waitlisted", place, position=self.position(place.email))

    def register(self, email: str, name: str, organisation: str, now: datetime,
                 hold: timedelta) -> list[Notice]:
        """A member asks for a place."""
        bare = Place(email=email, name=name, organisation=organisation,
                     status=Status.CANCELLED, joined_at=now, queue=0)
        if self.started(now):
            return [self._notice("event-over", bare)]
        current = self.active(email)
        if current is not None and current.status == Status.CONFIRMED:
            return [self._notice("already-registered", current)]
        if current is not None and current.status == Status.WAITLISTED:
            return [self._notice("already-waitlisted", current,
                                 position=self.position(email))]
        if current is not None and current.status == Status.OFFERED:
            # Asking again while holding an offer is taking it.
            return self.accept(email, now, hold)
        if not self.registration_open(now):
            return [self._notice("deadline-passed", bare)]
        if self.free > 0 and not self.waiting:
            return [self._notice("confirmed", self._enter(email, name, organisation, now,
                                                          Status.CONFIRMED))]
        return [self._waitlisted(self._enter(email, name, organisation, now,
                                             Status.WAITLISTED))]

    def cancel(self, email: str, now: datetime, hold: timedelta) -> list[Notice]:
        """A member gives up their place, waiting-list spot or offer."""
        current = self.active(email)
        if current is None:
            place = self.place(email) or Place(email, "", "", Status.CANCELLED, now, 0)
            return [self._notice("not-registered", place)]
        if self.started(now):
            return [self._notice("event-over", current)]
        if current.status == Status.OFFERED:
            return self.decline(email, now, hold)
        role = "left-waitlist" if current.status == Status.WAITLISTED else ""
        self._set(current, Status.CANCELLED)
        return [self._notice("cancelled", current, role=role),
                *self.offer_free_places(now, hold)]

    def accept(self, email: str, now: datetime, hold: timedelta) -> list[Notice]:
        """A waitlisted member says yes to a place (on time, or late)."""
        place = self.place(email)
        if place is None:
            return [self._notice("not-registered",
                                 Place(email, "", "", Status.CANCELLED, now, 0))]
        if self.started(now):
            return [self._notice("event-over", place)]
        if place.status == Status.OFFERED:
            # Until the sweep passes it on, the place is still theirs, even a little late.
            self._set(place, Status.CONFIRMED)
            return [self._notice("confirmed", place)]
        if place.status == Status.CONFIRMED:
            return [self._notice("already-registered", place)]
        if place.status == Status.WAITLISTED:
            return [self._notice("already-waitlisted", place, position=self.position(email))]
        if place.status not in (Status.EXPIRED, Status.DECLINED):
            # Cancelled, handed over or taken off by the coordinator: there is no offer to
            # say yes to, and a "yes" must not undo the coordinator's removal.
            return [self._notice("not-registered", place)]
        return self._late_accept(place, now, hold)

    def _late_accept(self, place: Place, now: datetime, hold: timedelta) -> list[Notice]:
        """An answer to an offer that has lapsed or was declined."""
        if self.free > 0 and not self.waiting:
            # A place is still free and nobody is waiting: they have said yes, so book it.
            self._set(place, Status.CONFIRMED, joined_at=now, forced=False)
            return [self._notice("confirmed", place)]
        self._enter(place.email, place.name, place.organisation, now, Status.WAITLISTED)
        return [self._waitlisted(place)]

    def decline(self, email: str, now: datetime, hold: timedelta) -> list[Notice]:
        """A member turns down an offer (or leaves the waiting list)."""
        current = self.active(email)
        if current is None:
            place = self.place(email) or Place(email, "", "", Status.CANCELLED, now, 0)
            return [self._notice("not-registered", place)]
        if current.status == Status.CONFIRMED:
            # "No thanks" from someone holding a confirmed place is not an offer answer.
            return [self._notice("unclear", current)]
        if self.started(now):
            return [self._notice("event-over", current)]
        if current.status == Status.OFFERED:
            self._set(current, Status.DECLINED)
            return [self._notice("offer-declined", current), *self.offer_free_places(now, hold)]
        self._set(current, Status.CANCELLED)
        return [self._notice("cancelled", current, role="left-waitlist"),
                *self.offer_free_places(now, hold)]

    def substitute(self, email: str, colleague: str, colleague_name: str, now: datetime
                   ) -> list[Notice]:
        """A confirmed attendee hands their place to a colleague; the waiting list is untouched."""
        current = self.active(email)
        if current is None or current.status != Status.CONFIRMED:
            place = current or self.place(email) or Place(email, "", "", Status.CANCELLED,
                                                           now, 0)
            return [self._notice("not-registered", place)]
        if self.started(now):
            return [self._notice("event-over", current)]
        if self.active(colleague) is not None:
            return [self._notice("unclear", current, other=colleague)]
        self._set(current, Status.SUBSTITUTED)
        taker = self._enter(colleague, colleague_name, current.organisation, now,
                            Status.CONFIRMED, forced=current.forced)
        return [
            self._notice("substituted", current, other=colleague, other_name=colleague_name,
                         role="gave"),
            self._notice("substituted", taker, other=current.email, other_name=current.name,
                         role="received"),
        ]

    def offer_free_places(self, now: datetime, hold: timedelta) -> list[Notice]:
        """Offer every free place to the head of the waiting list, holding it for `hold`."""
        notices: list[Notice] = []
        if self.started(now):
            return notices
        # The hold never runs past the start of the session.
        expires = min(now + hold, self.event.starts)
        for place in self.waitlist:
            if self.free <= 0:
                break
            if self._unloaded_ahead(place):
                # The store loads enough of the list's head for any one message; running
                # past it would offer the place out of turn.
                raise NotLoaded(f"the head of {self.event.id}'s waiting list was not loaded")
            self._set(place, Status.OFFERED)
            place.offer_expires = expires
            notices.append(self._notice("offered", place, offer_expires=expires))
        if self.free > 0 and self.rest.waiting:
            raise NotLoaded(f"more of {self.event.id}'s waiting list was needed than loaded")
        return notices

    def expire_offers(self, now: datetime, hold: timedelta) -> list[Notice]:
        """Lapse every offer whose hold has run out, and pass the places on."""
        notices: list[Notice] = []
        for place in self.with_status(Status.OFFERED):
            # An offer without a recorded expiry (a hand-edited row) still ends at the start.
            lapses = min(place.offer_expires or self.event.starts, self.event.starts)
            if now >= lapses:
                self._set(place, Status.EXPIRED)
                notices.append(self._notice("offer-expired", place, offer_expires=lapses))
        if notices:
            notices.extend(self.offer_free_places(now, hold))
        return notices

    # ---- the coordinator's hand ------------------------------------------------------
    def add(self, email: str, name: str, organisation: str, now: datetime,
            force: bool) -> list[Notice]:
        """The coordinator books someone, past the deadline, and over capacity if forced."""
        current = self.active(email)
        if current is not None and current.status == Status.CONFIRMED:
            return [self._notice("already-registered", current)]
        if self.started(now) and not force:
            bare = current or Place(email, name, organisation, Status.CANCELLED, now, 0)
            return [self._notice("event-over", bare)]
        if current is not None and current.status == Status.OFFERED:
            # Their seat is already held for them, so confirming never overbooks.
            self._set(current, Status.CONFIRMED)
            return [self._notice("confirmed", current)]
        if (self.free > 0 and not self.waiting) or force:
            # Only a booking past the last free seat is an overbooking.
            forced = self.free <= 0
            return [self._notice("confirmed", self._enter(email, name, organisation, now,
                                                          Status.CONFIRMED, forced=forced))]
        if current is not None:
            return [self._notice("already-waitlisted", current, position=self.position(email))]
        return [self._waitlisted(self._enter(email, name, organisation, now,
                                             Status.WAITLISTED))]

    def remove(self, email: str, now: datetime, hold: timedelta) -> list[Notice]:
        """The coordinator takes someone off; a freed place is offered onward."""
        current = self.active(email)
        if current is None:
            place = self.place(email) or Place(email, "", "", Status.CANCELLED, now, 0)
            return [self._notice("not-registered", place)]
        self._set(current, Status.REMOVED)
        return [self._notice("cancelled", current), *self.offer_free_places(now, hold)]

    def move(self, email: str, position: int) -> list[Notice]:
        """The coordinator moves a waitlisted person to a position (1 = next in line)."""
        current = self.active(email)
        if current is None or current.status != Status.WAITLISTED:
            place = current or self.place(email) or Place(email, "", "", Status.CANCELLED,
                                                           datetime.min, 0)
            return [self._notice("not-registered", place)]
        others = [p for p in self.waitlist if p.email != email]
        index = max(0, min(position - 1, len(others)))
        order = [*others[:index], current, *others[index:]]
        for n, place in enumerate(order, start=1):
            if place.queue != float(n):
                place.queue = float(n)
                place.dirty = True
        return [self._waitlisted(current)]
