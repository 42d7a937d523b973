"""Turn an understood request into seat changes and notices: eligibility, then seat rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from mailflow.itip import CalendarResponse
from mailflow.model import Intent, IssuedInvite, Member, Person, Request
from mailflow.seats import ACTIVE, Notice, Roster, Status

EVENT_OUTCOMES = frozenset({
    "confirmed", "waitlisted", "already-registered", "already-waitlisted", "cancelled",
    "not-registered", "deadline-passed", "event-over", "offered", "offer-declined",
    "offer-expired", "substituted",
    "updated", "session-cancelled",  # a calendar entry changed, or withdrawn with its session
})


@dataclass(frozen=True)
class Directory:
    """The member organisations, answering "which organisation is this address from?"."""

    members: tuple[Member, ...]

    def organisation(self, email: str) -> Member | None:
        domain = email.rpartition("@")[2].lower()
        best: Member | None = None
        best_len = -1
        for member in self.members:
            for d in member.domains:
                # A subdomain of a member's domain belongs to that member; the longest wins.
                if (domain == d or domain.endswith("." + d)) and len(d) > best_len:
                    best, best_len = member, len(d)
        return best

    def is_full_member(self, email: str) -> bool:
        org = self.organisation(email)
        return org is not None and org.membership == "full"


@dataclass(frozen=True)
class Decision:
    """What handling a request did: the requester's answer, mail for others, and whether a
    human must look."""

    reply: tuple[Notice, ...] = ()  # told to the requester, in their thread
    notify: tuple[Notice, ...] = ()  # separate mail to others (offers, colleagues)
    needs_attention: bool = False
    reason: str = ""
    silent: bool = False  # nothing to answer (an acknowledgement)
    label: str = ""  # outcome recorded for the handled message

    @property
    def outcome(self) -> str:
        return self.label or outcome_header(self.reply, "")


@dataclass(frozen=True)
class Context:
    """Everything decide() reads besides the request: plain data, no I/O, no clock."""

    rosters: Mapping[str, Roster]
    directory: Directory
    now: datetime
    hold: timedelta
    sender_verdict: str = "none"  # "pass" | "fail" | "none" (Authentication-Results)
    protected: frozenset[Intent] = field(
        default=frozenset({Intent.CANCEL, Intent.SUBSTITUTE, Intent.ACCEPT_OFFER,
                           Intent.DECLINE_OFFER}))


def outcome_header(notices: Sequence[Notice], requester: str) -> str:
    """`EVENT=OUTCOME; …` for event outcomes (the requester's own first), else one bare word."""
    own = [n for n in notices if n.event_id and n.outcome in EVENT_OUTCOMES
           and n.email == requester]
    chosen = own or [n for n in notices if n.event_id and n.outcome in EVENT_OUTCOMES]
    pairs: list[str] = []
    for n in chosen:
        pair = f"{n.event_id}={n.outcome}"
        if pair not in pairs:
            pairs.append(pair)
    if pairs:
        return "; ".join(pairs)
    return notices[0].outcome if notices else ""


def unclear(sender: Person, reason: str) -> Decision:
    return Decision(reply=(Notice("unclear", "", sender.email, sender.name),),
                    needs_attention=True, reason=reason, label="unclear")


# Intents that ask for a place (for the sender or someone they name).
ASKS_FOR_PLACES = frozenset({Intent.REGISTER, Intent.ACCEPT_OFFER, Intent.SUBSTITUTE})


def not_eligible_notice(event_id: str, email: str, name: str, org: Member | None) -> Notice:
    """Not eligible; an associate member's notice carries its organisation (role "associate",
    other_name the organisation) so the wording can say places are for full members."""
    if org is not None and org.membership != "full":
        return Notice("not-eligible", event_id, email, name, role="associate",
                      other_name=org.name)
    return Notice("not-eligible", event_id, email, name)


def not_eligible(sender: Person, directory: Directory) -> Decision:
    notice = not_eligible_notice("", sender.email, sender.name,
                                 directory.organisation(sender.email))
    return Decision(reply=(notice,), label="not-eligible")


def decide(request: Request, sender: Person, ctx: Context) -> Decision:
    """Apply one request to the rosters (mutating them) and say what everyone must be told."""
    if request.intent == Intent.ACKNOWLEDGEMENT:
        return Decision(silent=True, label="acknowledgement")
    # Eligibility before doubt: someone outside the full members asking for places is told
    # so, however unsure the details ("unclear" is for members, who can be helped). One who
    # says they are a member's staff, writing from elsewhere, hears the same (the contract's
    # not-eligible, whose wording asks for the work address) and the coordinator is asked too.
    if request.intent in ASKS_FOR_PLACES and not ctx.directory.is_full_member(sender.email):
        if request.member_claim:
            return replace(not_eligible(sender, ctx.directory), needs_attention=True,
                           reason=request.reason or "says they work at a full member")
        return not_eligible(sender, ctx.directory)
    if request.is_unclear:
        return unclear(sender, request.reason or "could not tell what was asked")
    if request.intent in ctx.protected and ctx.sender_verdict == "fail":
        return unclear(sender, "sender authentication failed (DMARC/DKIM/SPF): a request "
                               f"to {request.intent.value} was not applied")
    if not ctx.directory.is_full_member(sender.email):
        return not_eligible(sender, ctx.directory)
    unknown = [e for e in (*request.event_ids, *request.releases) if e not in ctx.rosters]
    if unknown:
        return unclear(sender, f"names unknown session(s): {', '.join(unknown)}")
    handler = _HANDLERS.get(request.intent)
    if handler is None:
        return unclear(sender, f"no rule for {request.intent.value}")
    return handler(request, sender, ctx)


def _register(request: Request, sender: Person, ctx: Context) -> Decision:
    attendees = request.people or (sender,)
    if request.releases and any(p.email.lower() != sender.email for p in attendees):
        return unclear(sender, "asks to move places other than the sender's own")
    reply: list[Notice] = []
    notify: list[Notice] = []
    for event_id in request.event_ids:
        roster = ctx.rosters[event_id]
        for person in attendees:
            email = person.email.lower()
            org = ctx.directory.organisation(email)
            if org is None or org.membership != "full":
                reply.append(not_eligible_notice(event_id, email, person.name, org))
                continue
            name = person.name or (sender.name if email == sender.email else "")
            notices = roster.register(email, name, org.name, ctx.now, ctx.hold)
            for n in notices:
                if n.email == sender.email or n.email == email:
                    reply.append(n)
                    if email != sender.email:
                        # The colleague hears it from us too, with who asked for them.
                        notify.append(Notice(n.outcome, n.event_id, n.email, n.name,
                                             position=n.position,
                                             offer_expires=n.offer_expires,
                                             other=sender.email, other_name=sender.name,
                                             role="booked-by"))
                else:
                    notify.append(n)
    if request.releases:
        moved = _release(request, sender, ctx, reply)
        reply += [n for n in moved if n.email == sender.email]
        notify += [n for n in moved if n.email != sender.email]
    return Decision(reply=tuple(reply), notify=tuple(notify),
                    label=outcome_header(reply, sender.email))


def _release(request: Request, sender: Person, ctx: Context,
             booked: Sequence[Notice]) -> list[Notice]:
    """The places a move gives up: cancelled (the freed place offered on, as a cancel does)
    only when every session moved to holds the sender now; else kept, and the reply says so."""
    mine = [n for n in booked if n.email == sender.email]
    held = bool(mine) and all(n.outcome in ("confirmed", "already-registered") for n in mine)
    notices: list[Notice] = []
    for event_id in request.releases:
        roster = ctx.rosters[event_id]
        place = roster.active(sender.email)
        if event_id in request.event_ids or place is None:
            continue
        if held:
            notices += roster.cancel(sender.email, ctx.now, ctx.hold)
        else:
            role = "waiting" if place.status == Status.WAITLISTED else ""
            notices.append(Notice("kept", event_id, sender.email, sender.name, role=role,
                                  position=roster.position(sender.email)))
    return notices


def _events_held(sender: Person, ctx: Context, statuses: frozenset[Status]) -> list[str]:
    return [eid for eid, r in ctx.rosters.items()
            if (p := r.place(sender.email)) is not None and p.status in statuses
            and not r.started(ctx.now)]


def _own_change(request: Request, sender: Person, ctx: Context,
                statuses: frozenset[Status], verb: str) -> Decision | list[str]:
    """The sessions a cancel, hand-over or offer answer is about, or the decision already
    reached (nothing held: not-registered; several held and none named: unclear)."""
    others = [p for p in request.people if p.email.lower() != sender.email]
    if others:
        # Taking a place away from someone else is the coordinator's call.
        return unclear(sender, f"asks to {verb} for someone else "
                               f"({', '.join(p.email for p in others)})")
    if request.event_ids:
        return list(request.event_ids)
    held = _events_held(sender, ctx, statuses)
    if len(held) == 1:
        return held
    if not held:
        return Decision(reply=(Notice("not-registered", "", sender.email, sender.name),),
                        label="not-registered")
    return unclear(sender, f"asks to {verb} without naming a session, and holds "
                           f"{len(held)}: {', '.join(held)}")


def _apply_each(request: Request, sender: Person, ctx: Context, statuses: frozenset[Status],
                verb: str, rule: str) -> Decision:
    events = _own_change(request, sender, ctx, statuses, verb)
    if isinstance(events, Decision):
        return events
    notices = [n for event_id in events
               for n in getattr(ctx.rosters[event_id], rule)(sender.email, ctx.now, ctx.hold)]
    return _answer(notices, sender, f"asked to {verb}, but holds a confirmed place")


def _answer(notices: Sequence[Notice], sender: Person, unclear_reason: str) -> Decision:
    """The requester hears their own outcomes; everyone else gets their own mail."""
    reply = tuple(n for n in notices if n.email == sender.email)
    notify = tuple(n for n in notices if n.email != sender.email)
    if any(n.outcome == "unclear" for n in reply):
        return Decision(reply=reply, notify=notify, needs_attention=True,
                        reason=unclear_reason, label="unclear")
    return Decision(reply=reply, notify=notify, label=outcome_header(reply, sender.email))


def _cancel(request: Request, sender: Person, ctx: Context) -> Decision:
    return _apply_each(request, sender, ctx, ACTIVE, "cancel", "cancel")


def _accept(request: Request, sender: Person, ctx: Context) -> Decision:
    statuses = frozenset({Status.OFFERED})
    if not request.event_ids and not _events_held(sender, ctx, statuses):
        # A late "yes" to an offer that lapsed or was turned down: the seat book answers it.
        statuses = frozenset({Status.EXPIRED, Status.DECLINED})
    return _apply_each(request, sender, ctx, statuses, "accept an offer", "accept")


def _decline(request: Request, sender: Person, ctx: Context) -> Decision:
    return _apply_each(request, sender, ctx, frozenset({Status.OFFERED}), "decline an offer",
                       "decline")


def _substitute(request: Request, sender: Person, ctx: Context) -> Decision:
    colleague = request.substitute
    if colleague is None or not colleague.email:
        return unclear(sender, "asks for a substitute without giving their email address")
    mine = ctx.directory.organisation(sender.email)
    theirs = ctx.directory.organisation(colleague.email)
    if theirs is None or mine is None or theirs.name != mine.name:
        return unclear(sender, f"substitute {colleague.email} is not from {sender.email}'s "
                               "organisation")
    events = _own_change(request, sender, ctx, frozenset({Status.CONFIRMED, Status.OFFERED}),
                         "hand over")
    if isinstance(events, Decision):
        return events
    offered = [e for e in events if (p := ctx.rosters[e].active(sender.email)) is not None
               and p.status == Status.OFFERED]
    if offered:
        # An offer goes to the head of the waiting list: handing it to a colleague passes over
        # the others waiting, which is the coordinator's call (as the labelled mail has it).
        return unclear(sender, f"asks for the place offered to them on {', '.join(offered)} "
                               f"to go to {colleague.email}: that passes over the waiting list")
    notices = [n for event_id in events
               for n in ctx.rosters[event_id].substitute(sender.email, colleague.email.lower(),
                                                         colleague.name, ctx.now)]
    return _answer(notices, sender, f"{colleague.email} already holds a place or is waiting")


_HANDLERS = {
    Intent.REGISTER: _register,
    Intent.CANCEL: _cancel,
    Intent.ACCEPT_OFFER: _accept,
    Intent.DECLINE_OFFER: _decline,
    Intent.SUBSTITUTE: _substitute,
}


# ---- calendar responses (iMIP REPLY / COUNTER) ---------------------------------------------

CALENDAR_LABELS = {"ACCEPTED": "accepted-in-calendar", "TENTATIVE": "tentative-in-calendar"}


def _attention(reason: str, label: str = "calendar-attention") -> Decision:
    """No seat change and no mail: a calendar client sent it, the coordinator reads it."""
    return Decision(needs_attention=True, reason=reason, silent=True, label=label)


def decide_response(response: CalendarResponse, issued: IssuedInvite | None, sender: Person,
                    ctx: Context) -> Decision:
    """What a calendar answer to one of our invitations does, as a coordinator would act.

    DECLINED is a cancellation (with every rule an emailed one has), ACCEPTED and TENTATIVE
    are acknowledgements, anything that does not match an entry we issued to this person
    is the coordinator's to look at, and a proposed new time is never applied.
    """
    found = response.summary()
    if response.problem and not response.uid:
        return _attention(f"{response.problem} ({found})")
    if response.method == "COUNTER":
        when = f" ({response.proposed_start})" if response.proposed_start else ""
        return _attention(f"proposes a new time{when}: {found}")
    if response.method != "REPLY":
        return _attention(f"calendar {response.method}, not an answer: {found}")
    if issued is None:
        return _attention(f"answers a calendar entry mailflow never issued: {found}")
    attendee = response.attendance(issued.email)
    if attendee is None and response.attendees:
        return _attention(f"the attendee is not {issued.email}, who was invited: {found}")
    if sender.email != issued.email:
        return _attention(f"sent from {sender.email}, not by the attendee {issued.email}: "
                          f"{found}")
    partstat = attendee.partstat if attendee else ""
    roster = ctx.rosters.get(issued.event_id)
    place = roster.place(issued.email) if roster else None
    holds = place is not None and place.status in (Status.CONFIRMED, Status.OFFERED)
    if partstat == "DECLINED":
        return _declined(response, issued, sender, ctx, holds, found)
    if partstat == "ACCEPTED" and place is not None and place.status == Status.OFFERED:
        # Accepting the hold sent with an offer is taking the offer.
        if ctx.sender_verdict == "fail":
            return _attention("sender authentication failed (DMARC/DKIM/SPF): accepting an "
                              f"offer in the calendar was not applied: {found}")
        notices = ctx.rosters[issued.event_id].accept(issued.email, ctx.now, ctx.hold)
        return _answer(notices, sender, "accepted an offer in calendar")
    if partstat in CALENDAR_LABELS:
        if not holds:
            return _attention(f"{partstat.lower()} in calendar, but holds no place on "
                              f"{issued.event_id}: {found}")
        return Decision(silent=True, label=CALENDAR_LABELS[partstat])
    return _attention(f"calendar answer {partstat or 'without PARTSTAT'}: {found}")


def _declined(response: CalendarResponse, issued: IssuedInvite, sender: Person, ctx: Context,
              holds: bool, found: str) -> Decision:
    if ctx.sender_verdict == "fail":
        return _attention("sender authentication failed (DMARC/DKIM/SPF): a calendar decline "
                          f"was not applied: {found}")
    if not holds:
        if issued.partstat == "DECLINED" and issued.method == "CANCEL":
            # Their calendar sent the answer again: the place went the first time.
            return Decision(silent=True, label="already-declined")
        return _attention(f"declined in calendar, but holds no place on {issued.event_id}: "
                          f"{found}")
    if response.sequence is not None and response.sequence < issued.booked_sequence:
        return _attention(f"declines an earlier invitation (SEQUENCE {response.sequence}; the "
                          f"current place was sent as {issued.booked_sequence}): {found}")
    notices = ctx.rosters[issued.event_id].cancel(issued.email, ctx.now, ctx.hold)
    return _answer(notices, sender, "declined in calendar")
