"""Which sessions a request asks for: its asking words first, background and the thread last."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from mailflow.model import Intent
from mailflow.understanding.absences import absent_for
from mailflow.understanding.clauses import Role
from mailflow.understanding.corrections import corrected_asking
from mailflow.understanding.index import EventIndex
from mailflow.understanding.literals import Guarded, guarded
from mailflow.understanding.mentions import keyword_ids
from mailflow.understanding.message import HELD_OUTCOMES, Doubt, Message
from mailflow.understanding.reading import Reading
from mailflow.understanding.sessions import Sessions, our_subject, resolve_events
from mailflow.understanding.text import norm_text
from mailflow.understanding.told import THIS_PLACE, reasons_set_aside


def sessions_asked(
    msg: Message,
    intent: Intent,
    index: EventIndex,
    now: datetime,
    evidence: list[str],
    doubt: Doubt,
) -> tuple[str, ...]:
    """Sessions: the clauses that ask first, then the subject, then the forwarded mail; the
    clauses that only give background last."""

    def named(text: str) -> frozenset[str]:
        return named_in(text, index, now)

    own, subject = msg.own, norm_text(msg.subject_text)
    if msg.subject_ours:
        subject = our_subject(subject, index, now, msg.context_ids)
    asking, before_but = _asking_after_contrast(
        own, msg.offered and intent in (Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER)
    )
    asking, retracted = corrected_asking(msg.correction, asking, evidence, named)
    asking = _counted_in_series(asking, before_but, index)
    before_but += retracted
    asking, reasons = reasons_set_aside(asking, named, bool(msg.context_ids))
    before_but += reasons
    referred = _referred_back(own)
    if not referred and len(named(antecedent := _antecedent(own))) == 1:
        referred = antecedent  # ("that one" after a clause naming two sessions: the desk asks)
    if not referred and len(named(pair := _antecedent(own, _BOTH_BACK))) == 2:
        referred = pair  # "... my places on the two evidence workshops. Please cancel both."
    if referred and not named(asking):
        asking = referred + "\n" + asking
    background = own.role_text(Role.BACKGROUND, Role.QUESTION, Role.COURTESY) + before_but
    texts = [asking, subject]
    if msg.source_fwd is not None:
        fwd = msg.source_fwd
        texts = [asking, norm_text(fwd.text), norm_text(fwd.subject), subject]
    elif msg.from_subject:
        texts = [subject, asking]
    # (In a thread, "the next one" counts from the thread's session: resolve_events.)
    found = (msg.context is None and _next_of_the_topic(own, asking, index, now)) or (
        resolve_events(texts, index, now, msg.context_ids or _chosen_among(msg), background)
    )
    if not found.ids and intent is Intent.REGISTER:
        # "Can you book Joe onto this please?" above his mail naming the 28 May workshop: the
        # forwarded mail's one session, even when the subject alone leaves two.
        found = _the_forwarded_one(msg, asking, index, now) or found
    found = _the_threads_too(msg, intent, asking, found, index, now)
    found = _day_settled_by_subject(msg, asking, found, index, now)
    found = _season_settled_by_subject(msg, asking, found, index, now)
    among = msg.correction.among
    if among and (not found.ids or not set(found.ids) < among):
        doubt.lower(0.3, "corrects itself: which of the sessions asked for stands is unclear")
    evidence.extend(found.evidence)
    _doubt_which(msg, intent, found, asking + "\n" + background, index, now, doubt)
    if intent is Intent.REGISTER and (away := absent_for(
        own, (e for e in index.events if e.id in found.ids), msg.correction.clauses
    )):
        doubt.lower(0.3, away)
    return _new_places(msg, intent, found.ids, evidence)


def _chosen_among(msg: Message) -> tuple[str, ...]:
    """"Both evidence workshops ... just the autumn one then": the sessions a narrowing chooses
    among, read as the thread's are (corrections.py)."""
    return tuple(sorted(msg.correction.among))


def _day_settled_by_subject(
    msg: Message, asking: str, found: Sessions, index: EventIndex, now: datetime
) -> Sessions:
    """"Aisha will go instead of me on the 28th" under "Fwd: logistics thing": a day two
    sessions share, and a subject (the mail's or the forward's) naming one of them by more than
    a day, read together, is that one."""
    if found.ids or not found.problem.startswith('cannot tell which session is meant (day "'):
        return found
    subjects = [msg.subject_text] + ([msg.source_fwd.subject] if msg.source_fwd else [])
    for subject in filter(None, subjects):
        named = resolve_events([norm_text(subject)], index, now, ())
        if len(named.ids) != 1 or named.day_only or named.problem:
            continue
        both = resolve_events([asking + "\n" + norm_text(subject)], index, now, msg.context_ids)
        if both.ids == named.ids and not both.problem:
            return both
    return found


def _season_settled_by_subject(
    msg: Message, asking: str, found: Sessions, index: EventIndex, now: datetime
) -> Sessions:
    """"It's the autumn one I'd like, please." under "Fwd: evidence skills": a season that
    takes in several sessions, read with a subject (the mail's or the forward's) naming a kind
    of session, leaves the one of that kind in the season."""
    if found.ids or not found.problem.startswith('cannot tell which session is meant (season "'):
        return found
    subjects = [msg.subject_text] + ([msg.source_fwd.subject] if msg.source_fwd else [])
    for subject in filter(None, subjects):
        kind = named_in(norm_text(subject), index, now)
        both = resolve_events([asking + "\n" + norm_text(subject)], index, now, msg.context_ids)
        if kind and len(both.ids) == 1 and set(both.ids) <= kind and not both.problem:
            return both
    return found


def _subject_agrees(
    msg: Message, ids: tuple[str, ...], index: EventIndex, now: datetime
) -> bool:
    """"Yes, the one on the 28th" under "Re: May evidence workshop": the subject (the mail's or
    the forward's) names the very session the day does, so the date is the one meant."""
    subjects = [msg.subject_text] + ([msg.source_fwd.subject] if msg.source_fwd else [])
    for subject in filter(None, subjects):
        named = resolve_events([norm_text(subject)], index, now, ())
        if named.ids == ids and not named.day_only and not named.problem:
            return True  # (not "Session on the 29th": the same bare day again)
    return False


def _doubt_which(
    msg: Message, intent: Intent, found: Sessions, read: str, index: EventIndex,
    now: datetime, doubt: Doubt,
) -> None:
    """What about the sessions found leaves a careful coordinator unsure which is meant."""
    if found.problem:
        doubt.lower(0.3, found.problem)
    elif not found.ids and intent is Intent.REGISTER:
        # A substitution may leave the session to the decision step, which knows whether the
        # sender holds exactly one place.
        doubt.lower(0.3, "does not say which session")
    elif not found.ids and intent is Intent.SUBSTITUTE and msg.context is None:
        # Out of the blue, a place passed on without naming its session: the sender may hold
        # several, and a substitution is not undone by a reply either.
        doubt.lower(0.3, "does not say which session's place is passed on")
    elif not found.ids and intent is Intent.CANCEL and msg.context is None:
        # "Please cancel my booking", out of the blue: a member holding several places, or
        # one booked long ago, may mean any of them; cancelling is not undone by a reply.
        doubt.lower(0.3, "does not say which booking to cancel")
    if intent is Intent.REGISTER and msg.context is None and found.ids and found.day_only and (
        not _subject_agrees(msg, found.ids, index, now)
    ):
        # A new booking out of the blue with only a day number to go on: a careful coordinator
        # checks the date is the session meant before booking it.
        doubt.lower(0.4, f"names the session only by a day of the month ({found.day_only})")
    if msg.offered and found.ids and msg.context_ids and not set(found.ids) <= set(msg.context_ids):
        doubt.lower(0.4, "names a different session from the one offered")
    if msg.offered and intent is Intent.SUBSTITUTE:
        # An offer goes to the head of the waiting list; handing it to a colleague instead
        # passes over the others waiting, which is the coordinator's call (most writers agree).
        doubt.lower(0.4, "asks for the place offered to them to go to someone else")
    # Our own subject naming every place of the thread says nothing of which the member means.
    if intent in (Intent.CANCEL, Intent.SUBSTITUTE) and len(msg.context_ids) > 1 and not (
        _EVERY_PLACE.search(msg.own.text)
    ) and not (found.mentioned and (
        not msg.mail.subject or named_in(read, index, now)
    )):
        doubt.lower(0.4, "does not say which of the thread's sessions it means")


# "cancel both", "all my places": every place of the thread.
_EVERY_PLACE = guarded(
    r"\b(?:both|every|everything|any of (?:them|the sessions)|either|the lot"
    r"|all (?:of|my|our|the|two|three|four|those|these|them))\b"
)
_BUT = guarded(r"[,;-]?\s+but\s+")


# "Is it too late to get on the webinar this Friday? If not, please book me in": a request
# that refers back to the question it answers.
_REFERS_BACK = guarded(r"\W*(?:if not|if so|if yes|if it isn't|if it's not|if there is|if there's"
                       r"|if there are|in that case)\b")


def _referred_back(own: Reading) -> str:
    """The questions that a request clause right after them answers ("... this Friday? If not,
    please book me in"): read for the session when the request itself names none."""
    return "\n".join(
        before.text
        for before, clause in zip(own.clauses, own.clauses[1:], strict=False)
        if clause.role is Role.REQUEST and before.role is not Role.REQUEST
        and before.text.endswith("?") and _REFERS_BACK.match(clause.text)
    )


# "... the freight webinar on Friday, but I can't give it 90 minutes. So please release my place
# on that one.": a request pointing back at a session with a word that names none itself.
_POINTS_BACK = guarded(
    r"\b(?:that|this|the same)\s+(?:one|session|webinar|workshop|event)\b"
    r"(?!\s+(?:below|attached|e-?mail|mail|message))"
    r"|\b(?:on|for|from|off|onto|to|in)\s+(?:it|that)\W*$"
)


# "Please cancel both.", "could you book us on them both?": the two sessions said before.
_BOTH_BACK = guarded(
    r"\bboth\b(?=\s*(?:of them\b|please\b|pls\b|for (?:me|us)\b|[.,;!?]|$))|\bthem both\b"
    # "Could you register us both for both dates?" after a clause giving the two dates.
    r"|\b(?:for|on|onto|to) both\s+(?:dates|days|sessions|workshops|webinars|events|ones)\b"
)


_TOLD_BEFORE = (Role.BACKGROUND, Role.QUESTION)


def _antecedent(own: Reading, points_back: Guarded | None = None) -> str:
    """The clause a request points back at ("please release my place on that one"; with
    _BOTH_BACK, "please cancel both"): the one right before it that is not a greeting or
    thanks, read for the session when the request names none. (So is a question: "he'd
    booked me for the evidence one, but I don't think I got a confirmation? Can you add me if
    I'm not on it.")"""
    pattern = points_back or _POINTS_BACK
    for before, clause in zip(own.clauses, own.clauses[1:], strict=False):
        if clause.role is Role.REQUEST and before.role in _TOLD_BEFORE and pattern.search(
            clause.text
        ):
            return before.text
    return ""


# "I can't do the evidence workshop in May but would love a place on the second one": the
# part after the "but" counts the series the part before it names.
_COUNTS_BACK = guarded(
    r"\b(?P<n>first|second|third|fourth|fifth|sixth|seventh|1st|2nd|3rd|4th|5th|6th|7th)\s+one\b"
)


def _counted_in_series(asking: str, before_but: str, index: EventIndex) -> str:
    """The asking words with a bare "the second one" said of the series named before the "but"
    ("... the evidence workshop in May but ... the second one" counts the evidence workshops):
    the series' keyword put beside the ordinal, the sessions before the "but" left background."""
    if not before_but or index.keyword_re is None or not _COUNTS_BACK.search(asking):
        return asking
    series = [
        kw.group("kw") for kw in index.keyword_re.finditer(before_but)
        if len(index.keyword_ids.get(re.sub(r"\s+", " ", kw.group("kw")), frozenset())) > 1
    ]
    if not series:
        return asking
    return _COUNTS_BACK.sub(lambda m: f"{m.group('n')} {series[-1]} one", asking)


# "I missed the evidence skills workshop in May. Could I sign up for the next one?": "one"
# stands for the sessions named before it.
_NEXT_ONE = guarded(r"\bthe next one\b")


def _next_of_the_topic(
    own: Reading, asking: str, index: EventIndex, now: datetime
) -> Sessions | None:
    """"The next one" in words that name no topic of their own, after a clause naming a topic
    of several sessions: the next of those still to come (a topic of one session leaves "the
    next one" to mean the series' next)."""
    if not _NEXT_ONE.search(asking) or keyword_ids(asking, index):
        return None
    first_ask = next((c for c in own.clauses if c.role is Role.REQUEST), None)
    before = own.clauses[: own.clauses.index(first_ask)] if first_ask is not None else []
    for clause in reversed(before):
        topic = keyword_ids(clause.text, index)
        if not topic:
            continue
        ahead = sorted((e for e in index.events if e.id in topic and e.starts > now),
                       key=lambda e: e.starts)
        if len(topic) < 2 or not ahead:
            return None
        meant = ahead[0].id
        return Sessions(ids=(meant,), mentioned=True,
                        evidence=[f'{meant}: the next of the sessions named before "the next one"'])
    return None


def _asking_after_contrast(own: Reading, answer: bool) -> tuple[str, str]:
    """The request clauses' text, and what stands before a "but" that the request follows:
    "textiles and food will be on my radar later, but for now I'd like to book construction"
    asks for construction; the sessions before the "but" are background."""
    asking: list[str] = []
    background = ""
    for number, clause in enumerate(own.clauses):
        if clause.role is not Role.REQUEST:
            continue
        parts = _BUT.split(clause.text)
        phrases = [p for found in own.found.values() for p, _, n in found if n == number]
        if len(parts) > 1 and phrases and all(p in parts[-1] for p in phrases):
            asking.append(parts[-1])
            background += "\n" + " ".join(parts[:-1])
        elif answer and len(parts) > 1 and phrases and all(p in parts[0] for p in phrases):
            # "I'll have to say no to this one - but please keep me in mind for the furniture
            # one": the answer is the offer's; what follows the "but" is a remark.
            asking.append(parts[0])
            background += "\n" + " ".join(parts[1:])
        else:
            asking.append(clause.text)
    return "\n".join(asking), background


def _the_threads_too(
    msg: Message, intent: Intent, asking: str, found: Sessions, index: EventIndex, now: datetime
) -> Sessions:
    """"Please cancel this place. He was also down for the furniture webinar - please cancel
    that one too", in our thread about one session: a clause giving up "this place" and naming
    no session gives up the thread's, beside those the other clauses name."""
    if intent is not Intent.CANCEL or len(msg.context_ids) != 1 or not found.ids or (
        found.problem or msg.context_ids[0] in found.ids
    ):
        return found
    if not any(THIS_PLACE.search(line) and not named_in(line, index, now)
               for line in asking.split("\n")):
        return found
    held = msg.context_ids[0]
    return replace(found, ids=(held, *found.ids),
                   evidence=[*found.evidence, f'{held}: "this place" in our thread'])


# The sessions the last texts named, by text and time, each with the index it was read by: one
# mail asks it of the same clause from several steps (a request's clause, its conditions, its
# corrections). The index is kept beside its answer, so its id cannot be reused while the entry
# lives: the id in the key is the index.
_NAMED: dict[tuple[str, int, datetime], tuple[EventIndex, frozenset[str]]] = {}
_MOST_NAMED = 512


def named_in(text: str, index: EventIndex, now: datetime) -> frozenset[str]:
    """Sessions a few words name ("keep me booked on the October workshop"), any way named."""
    key = (text, id(index), now)
    known = _NAMED.get(key)
    if known is not None:
        return known[1]
    found = resolve_events([text], index, now, ())
    ids = frozenset(found.ids) if not found.problem else keyword_ids(text, index)
    if len(_NAMED) >= _MOST_NAMED:
        _NAMED.clear()
    _NAMED[key] = (index, ids)
    return ids


# "Please book me on this one" above a forwarded announcement: the session it forwards.
_THIS_ONE = re.compile(
    r"\b(?:this|that)(?: one| session| webinar| workshop| event)?\b(?!\s+(?:e-?mail|mail|message"
    r"|week|month|year|morning|afternoon|time))|\b(?:the )?(?:one|session|webinar|event) below\b"
)
FORWARD_READ_FOR_SESSION = 4_000  # characters of a forwarded announcement read for its session


def _the_forwarded_one(
    msg: Message, asking: str, index: EventIndex, now: datetime
) -> Sessions | None:
    """The session a forwarded mail names, when the asking words point at it ("this one") and
    it names exactly one: an announcement listing several leaves the desk to ask."""
    if not msg.forwarded or msg.source_fwd is not None or not _THIS_ONE.search(asking):
        return None
    fwd = msg.forwarded[0]
    text = norm_text(fwd.text[:FORWARD_READ_FOR_SESSION])
    found = resolve_events([text, norm_text(fwd.subject)], index, now, ())
    if len(found.ids) != 1 or found.problem:
        return None
    found.evidence.append(f"{found.ids[0]}: the session of the forwarded mail")
    return found


def _new_places(
    msg: Message, intent: Intent, ids: tuple[str, ...], evidence: list[str]
) -> tuple[str, ...]:
    """In a reply to our confirmation or waiting-list message, the thread's sessions are the
    member's already: "fingers crossed for logistics - could you also put me down for May?"
    books May only."""
    context = msg.context
    if intent is not Intent.REGISTER or context is None or context.outcome not in HELD_OUTCOMES:
        return ids
    held = set(context.event_ids)
    new = tuple(i for i in ids if i not in held)
    if not new or len(new) == len(ids):
        return ids
    evidence.append(f"already holds or waits for {', '.join(i for i in ids if i in held)}")
    return new
