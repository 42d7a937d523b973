"""Handle one message in one transaction: hygiene, understand, decide, store, queue replies."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from mailflow import outbox
from mailflow.authenticity import sender_verdict
from mailflow.clean import excerpt
from mailflow.config import Settings
from mailflow.decide import Context, Decision, Directory, decide, decide_response
from mailflow.entries import find_issued, record_answer, refresh, stamp
from mailflow.itip import CalendarResponse
from mailflow.model import (
    SEAT_CHANGING,
    InboundMail,
    Person,
    Request,
    ThreadContext,
    full_member_domains,
    full_member_names,
)
from mailflow.parse import parse_message
from mailflow.reply import Composer, Outgoing
from mailflow.returns import note_bounce, note_complaint
from mailflow.seats import Notice, Roster
from mailflow.store import UnitOfWork, unit_of_work
from mailflow.triage import Kind, named_book, touched_rosters
from mailflow.understanding import understand
from mailflow.understanding.forms import form_submission

log = logging.getLogger("mailflow.handle")

# Outcomes that change the seat book and so belong in a person's history.
RECORDED = frozenset({"confirmed", "waitlisted", "cancelled", "offered", "offer-declined",
                      "offer-expired", "substituted"})
RATE_LIMITED = "rate-limited"  # outcome of the one notice sent when the daily limit is reached


@dataclass(frozen=True)
class Handled:
    """How one message ended; `folder` is where the mailbox should move it."""

    message_id: str
    disposition: str  # handled | ignored | bounce | attention | error | duplicate
    outcome: str
    folder: str  # "processed" | "attention"
    reason: str = ""


@dataclass(frozen=True)
class _Understood:
    request: Request
    evidence: str  # the handled record's JSON account of the understanding
    sessions: tuple[str, ...]  # the sessions it names, to lock with the sender


@dataclass
class Desk:
    """Everything handling needs, built once from the settings and passed explicitly."""

    settings: Settings
    engine: Engine
    composer: Composer
    clock: Callable[[], datetime]

    @property
    def hold(self) -> timedelta:
        return timedelta(hours=self.settings.policy.offer_hold_hours)

    @property
    def directory(self) -> Directory:
        return Directory(self.settings.members)

    @functools.cached_property
    def member_domains(self) -> tuple[str, ...]:
        """The full members' domains the interpreter is told of, found once per desk."""
        return full_member_domains(self.settings.members)

    # ---- one message ---------------------------------------------------------------
    def handle(self, raw: bytes, uidvalidity: int | None = None, uid: int | None = None,
               truncated_size: int | None = None) -> Handled:
        """Handle one message; never raises for bad input (errors are recorded and flagged)."""
        started = time.perf_counter()
        mail = parse_message(raw)
        try:
            mail = self._as_submitted(mail)
            result = self._in_transaction(mail, raw, uidvalidity, uid, truncated_size)
        except Exception as exc:  # noqa: BLE001 - the runner must not die on one message
            log.exception("handling %s failed", mail.message_id)
            result = self._record_error(mail, uidvalidity, uid, exc)
        # "ignored ignored" says nothing twice: the outcome only when it adds to the disposition.
        outcome = "" if result.outcome in ("", result.disposition) else f" {result.outcome}"
        log.info("handled %s from %s: %s%s (%.1f ms)", mail.message_id, mail.sender or "-",
                 result.disposition, outcome, (time.perf_counter() - started) * 1000)
        return result

    def _as_submitted(self, mail: InboundMail) -> InboundMail:
        """A notification of a submission to the desk's own web form is the submitter's mail:
        checked, read and answered as theirs (forms.py). Nothing proves the address they
        typed is theirs, so no Authentication-Results vouch for it; a notification that itself
        fails them stays the machine's mail (and hygiene ignores it)."""
        submission = form_submission(mail)
        if submission is None:
            return mail
        if sender_verdict(mail, self.settings.mailbox.trusted_authserv_id) == "fail":
            return mail
        own = submission.mail
        return dataclasses.replace(own, headers=tuple(
            (k, v) for k, v in own.headers if k != "authentication-results"))

    def _in_transaction(self, mail: InboundMail, raw: bytes, uidvalidity: int | None,
                        uid: int | None, truncated_size: int | None) -> Handled:
        """Handle `mail` in one transaction; once more if the connection had gone.

        Pooled connections are not pinged before use (a round trip per message): one the
        server dropped fails its first statement, and the message is handled again on a new
        connection. Safe even when only the COMMIT's answer was lost: the second try finds
        the message recorded and stops there.
        """
        for attempt in (1, 2):
            try:
                with unit_of_work(self.engine) as uow:
                    result = self._handle(uow, mail, raw, uidvalidity, uid, truncated_size)
                    if result.disposition != "duplicate":
                        uow.commit()
                    return result
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
                log.warning("database connection lost handling %s; trying again on a new one",
                            mail.message_id)
        raise AssertionError("unreachable")

    def _record_error(self, mail: InboundMail, uidvalidity: int | None, uid: int | None,
                      exc: BaseException) -> Handled:
        reason = f"error while handling: {type(exc).__name__}: {exc}"[:500]
        with unit_of_work(self.engine) as uow:
            key = uow.record_key(mail, uidvalidity, uid)
            if key is None:
                # Another worker recorded it first: their handling stands.
                return Handled(mail.message_id, "duplicate", "", "processed", "seen before")
            uow.record(self._row(mail, uidvalidity, uid, key, disposition="error",
                                 outcome="error",
                                 reason=reason, needs_attention=True,
                                 evidence="".join(traceback.format_exception(exc))[-4000:]))
            uow.commit()
        return Handled(mail.message_id, "error", "error", "attention", reason)

    def _row(self, mail: InboundMail, uidvalidity: int | None, uid: int | None, key: str, *,
             disposition: str, outcome: str, reason: str = "", needs_attention: bool = False,
             intent: str = "", evidence: str = "") -> dict[str, Any]:
        """The handled record's values (a dict: a table model costs more to make)."""
        return dict(
            message_id=key, uidvalidity=uidvalidity, uid=uid, sender=mail.sender,
            subject=mail.subject[:300], received_at=mail.date, handled_at=self.clock(),
            intent=intent, outcome=outcome, disposition=disposition, reason=reason[:500],
            evidence=evidence, excerpt=excerpt(mail.text),
            needs_attention=needs_attention, sha256=mail.sha256, size=mail.size)

    def _handle(self, uow: UnitOfWork, mail: InboundMail, raw: bytes, uidvalidity: int | None,
                uid: int | None, truncated_size: int | None) -> Handled:
        settings = self.settings
        now = self.clock()
        kind = Kind.of(mail, truncated_size, settings.smtp.from_address)
        # A member's request is understood before the locks, so that the sessions it names
        # are locked with its sender, in one round trip (what it reads first is only our own
        # mail it answers, which no other worker changes).
        understood = self._understand(uow, mail, now) if kind.request else None
        # Serialise first: on PostgreSQL a second worker handling the same message (or the
        # same sender, or the same sessions) then waits here and sees it as already handled,
        # or the seats as they are now, instead of racing.
        uow.serialise(mail.message_id, mail.sender,
                      sessions=understood.sessions if understood is not None else ())
        # With the sender's row and today's replies to them: one read for what the rest asks.
        # And the seat book, when the request names the sessions it changes.
        book = None if understood is None else named_book(
            settings.events, understood.request, Person(mail.sender, mail.sender_name))
        key = uow.record_key(mail, uidvalidity, uid, sender_since=self._today(now), book=book)
        if key is None:
            return Handled(mail.message_id, "duplicate", "", "processed", "seen before")
        uow.remember_name(mail.sender, mail.sender_name)

        def finish(disposition: str, outcome: str, folder: str, reason: str = "",
                   attention: bool = False, intent: str = "", evidence: str = "") -> Handled:
            uow.record(self._row(mail, uidvalidity, uid, key, disposition=disposition,
                                 outcome=outcome, reason=reason, needs_attention=attention,
                                 intent=intent, evidence=evidence))
            return Handled(mail.message_id, disposition, outcome, folder, reason)

        if truncated_size is not None:
            return finish("attention", "too-large", "attention",
                          f"message is {truncated_size:,} bytes, over the "
                          f"{settings.mailbox.max_message_bytes:,}-byte limit; not read",
                          attention=True)
        if kind.complaint:
            return finish("attention", "complaint", "attention",
                          note_complaint(uow, raw, mail, now), attention=True)
        if kind.bounce:
            return finish("bounce", "bounce", "processed", note_bounce(uow, raw, mail, now))
        if kind.ignored is not None:
            return finish("ignored", "ignored", "processed", kind.ignored)
        if not mail.sender:
            return finish("attention", "unclear", "attention", "no usable sender address",
                          attention=True)
        if kind.response is not None:
            return self._calendar(uow, mail, kind.response, now, finish)
        return self._request(uow, mail, now, finish,
                             understood or self._understand(uow, mail, now))

    def _understand(self, uow: UnitOfWork, mail: InboundMail, now: datetime) -> _Understood:
        """What a member's own words ask, in the light of our mail they answer."""
        settings = self.settings
        context = self._thread_context(uow, mail)
        request = understand(mail, settings.events, now, context,
                             series_name=settings.series.name,
                             full_member_domains=self.member_domains,
                             full_member_names=full_member_names(settings.members))
        evidence = json.dumps({"intent": request.intent.value, "events": request.event_ids,
                               "people": [p.email for p in request.people],
                               "confidence": round(request.confidence, 2),
                               "evidence": list(request.evidence), "reason": request.reason})
        # The sessions it names; those where the sender has a place, when it changes one and
        # names none, are read and locked after the sender's lock (touched_rosters).
        named = request.event_ids if request.intent in SEAT_CHANGING else ()
        return _Understood(request, evidence, tuple(named))

    def _request(self, uow: UnitOfWork, mail: InboundMail, now: datetime,
                 finish: Callable[..., Handled], understood: _Understood) -> Handled:
        """A member's own words: decide on what they ask, and conclude."""
        settings = self.settings
        request = understood.request
        sender = Person(mail.sender, mail.sender_name)
        rosters = touched_rosters(uow, settings.events, request, sender)
        ctx = Context(rosters=rosters, directory=self.directory, now=now, hold=self.hold,
                      sender_verdict=sender_verdict(mail,
                                                    settings.mailbox.trusted_authserv_id))
        decision = decide(request, sender, ctx)
        return self._conclude(uow, mail, decision, rosters, now, finish,
                              request.intent.value, understood.evidence, request.question)

    def _conclude(self, uow: UnitOfWork, mail: InboundMail, decision: Decision,
                  rosters: dict[str, Roster], now: datetime, finish: Callable[..., Handled],
                  intent: str, evidence: str, question: str = "") -> Handled:
        """Store the seat changes a decision made, audit them, queue its mail, record it.

        A side question the request also asked ("will it be recorded?") does not hold the seat
        change back: the message goes to the coordinator's attention folder to be answered.
        """
        uow.save_rosters(rosters, now)
        self.audit_notices(uow, [*decision.reply, *decision.notify], mail.sender,
                           mail.message_id, now)
        withheld = self._queue_replies(uow, mail, decision, now)
        self.queue_notices(uow, decision.notify, mail.message_id, now)
        # A reply the rate limit held back means nobody answered: the coordinator reads it.
        asked = f'also asks: "{question}"' if question else ""
        attention = decision.needs_attention or bool(withheld) or bool(asked)
        folder = "attention" if attention else "processed"
        disposition = "attention" if attention else (
            "ignored" if decision.silent else "handled")
        return finish(disposition, decision.outcome, folder,
                      "; ".join(r for r in (decision.reason, withheld, asked) if r),
                      attention=attention, intent=intent, evidence=evidence)

    def _calendar(self, uow: UnitOfWork, mail: InboundMail, response: CalendarResponse,
                  now: datetime, finish: Callable[..., Handled]) -> Handled:
        """A calendar client's answer to an invitation, matched by UID and attendee."""
        settings = self.settings
        found = find_issued(uow, response, mail.sender, settings, now)
        # Only the session the answered entry is for, and only the attendee's place in it.
        rosters = uow.load_rosters(
            [e for e in settings.events if found is not None and e.id == found.event_id],
            {mail.sender, *([found.email] if found is not None else [])})
        ctx = Context(rosters=rosters, directory=self.directory, now=now, hold=self.hold,
                      sender_verdict=sender_verdict(mail,
                                                    settings.mailbox.trusted_authserv_id))
        decision = decide_response(response, found, Person(mail.sender, mail.sender_name), ctx)
        attendance = response.attendance(found.email) if found else None
        partstat = attendance.partstat if attendance else ""
        note = response.note(found.email) if found else response.comment
        evidence = json.dumps({"calendar": response.summary(), "uid": response.uid,
                               "event": found.event_id if found else "",
                               "partstat": partstat, "comment": note})
        if found is not None and not decision.needs_attention \
                and decision.label != "already-declined":
            record_answer(uow, found.uid, partstat, note, now)
            said = f'"{note[:300]}"' if note else ""
            uow.audit(dict(at=now, email=found.email, event_id=found.event_id,
                                 action=f"{partstat.lower()}-in-calendar", actor=mail.sender,
                                 cause=mail.message_id, detail=said))
        return self._conclude(uow, mail, decision, rosters, now, finish,
                              f"calendar-{response.method.lower()}", evidence)

    # ---- pieces ---------------------------------------------------------------------
    def _thread_context(self, uow: UnitOfWork, mail: InboundMail) -> ThreadContext | None:
        """What mailflow said in the message being answered, if it is one of ours."""
        ids = list(mail.thread_ids)
        rows = {r.message_id: r for r in uow.outbox_by_message_ids(ids)}
        for message_id in ids:  # nearest first
            row = rows.get(message_id)
            if row is not None:
                outcome = row.outcome.split("=", 1)[1].split(";")[0] if "=" in row.outcome \
                    else row.outcome
                return ThreadContext(outcome=outcome.strip(),
                                     event_ids=tuple(row.event_ids.split()),
                                     recipient=row.recipient)
        return None

    def _queue_replies(self, uow: UnitOfWork, mail: InboundMail, decision: Decision,
                       now: datetime) -> str:
        """Queue the answer; returns why the daily limit held it back ("" when it did not)."""
        heading = self.composer.reply_heading(mail, decision)
        if heading is None:
            return ""
        verdict = self._may_reply(uow, mail, *heading, now)
        if verdict == "send":
            # Calendar entries are numbered only for mail that goes: a withheld CANCEL must
            # leave the entry live in the store, as it still is in their calendar.
            own = tuple(stamp(uow, decision.reply, self.settings, now, recipient=mail.sender))
            if own != decision.reply:
                decision = dataclasses.replace(decision, reply=own)
            reply = self.composer.reply(mail, decision, now)
            if reply is not None:
                self._queue(uow, reply, mail.message_id, now)
        if verdict not in ("notice", "limit"):
            return ""
        limit = self.settings.policy.max_auto_replies_per_day
        if verdict == "limit":
            return f"reply withheld: {limit} automatic replies to this sender today already"
        notice = Notice(RATE_LIMITED, "", mail.sender, mail.sender_name)
        told = self.composer.reply(mail, Decision(reply=(notice,), label=RATE_LIMITED), now)
        if told is not None:
            self._queue(uow, told, mail.message_id, now)
        return (f"reply withheld: {limit} automatic replies to this sender today already; "
                "told them the coordinator will read the rest")

    def _may_reply(self, uow: UnitOfWork, mail: InboundMail, outcome: str, subject: str,
                   now: datetime) -> str:
        """Per-sender limits, so a loop or a chatty correspondent cannot make us a spammer.

        "send", or why not: "silenced" (the address bounces), "repeat" (this answer went to
        them today), "notice" (the daily limit is reached: send the one rate-limited notice
        instead) or "limit" (notice sent: silence until the coordinator's tomorrow).
        """
        if uow.is_silenced(mail.sender):
            return "silenced"
        earlier = uow.replies_today(mail.sender, self._today(now))
        if outcome in ("unclear", "not-eligible") and any(
                r.outcome == outcome and r.subject == subject for r in earlier):
            return "repeat"
        answers = [r for r in earlier if r.outcome != RATE_LIMITED]
        if len(answers) < self.settings.policy.max_auto_replies_per_day:
            return "send"
        return "limit" if len(answers) < len(earlier) else "notice"

    def _today(self, now: datetime) -> datetime:
        """The start of the coordinator's day: the daily reply limit counts from it."""
        return now.astimezone(self.settings.coordinator.timezone).replace(
            hour=0, minute=0, second=0, microsecond=0)

    def _queue(self, uow: UnitOfWork, mail: Outgoing, cause: str, now: datetime) -> None:
        outbox.queue(uow.queue, mail, cause, now)

    def queue_notices(self, uow: UnitOfWork, notices: Iterable[Notice], cause: str,
                      now: datetime) -> None:
        notices = list(notices)
        # Address people by the name their own mail carried, when the book has none.
        names = uow.names_of([n.email for n in notices if not n.name])
        for n in notices:
            if uow.is_silenced(n.email):
                continue
            n = stamp(uow, [n], self.settings, now)[0]
            self._queue(uow, self.composer.notice(n, now, names.get(n.email, "")), cause, now)

    def audit_notices(self, uow: UnitOfWork, notices: Sequence[Notice], actor: str,
                      cause: str, now: datetime) -> None:
        seen: set[tuple[str, str, str]] = set()
        for n in notices:
            key = (n.email, n.event_id, n.outcome)
            if n.outcome not in RECORDED or not n.event_id or key in seen:
                continue
            seen.add(key)
            detail = f"with {n.other}" if n.other else ""
            uow.audit(dict(at=now, email=n.email, event_id=n.event_id, action=n.outcome,
                                 actor=actor, cause=cause, detail=detail))

    # ---- time passing -------------------------------------------------------------------
    def sweep(self, cause: str = "offer sweep") -> list[Notice]:
        """Expire lapsed offers and offer every free place onward (also after capacity rises)."""
        now = self.clock()
        with unit_of_work(self.engine) as uow:
            rosters = uow.sweep_rosters(self.settings.events, now)
            notices: list[Notice] = []
            for roster in rosters.values():
                notices.extend(roster.expire_offers(now, self.hold))
                notices.extend(roster.offer_free_places(now, self.hold))
            # A session changed or dropped in the config reaches every calendar once.
            updates = refresh(uow, self.settings, now)
            if not notices and not updates:
                uow.commit()  # entries' stored view of an unwatched detail may have moved
                return []
            uow.save_rosters(rosters, now)
            self.audit_notices(uow, notices, "worker", cause, now)
            self.queue_notices(uow, [*notices, *updates], cause, now)
            uow.commit()
        return [*notices, *updates]
