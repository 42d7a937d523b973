"""Which sessions a message means: the mentions of the texts that ask, resolved together."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from mailflow.understanding.index import EventIndex, Mention
from mailflow.understanding.mentions import Unmatched, event_mentions
from mailflow.understanding.weekdays import weekday_named


@dataclass
class Sessions:
    ids: tuple[str, ...] = ()
    evidence: list[str] = field(default_factory=list)
    problem: str = ""  # why the sessions meant cannot be told
    mentioned: bool = False
    day_only: str = ""  # the one way the sessions are named, a bare day of the month ("the 29th")


def resolve_events(
    texts: Sequence[str],
    index: EventIndex,
    now: datetime,
    context_ids: tuple[str, ...],
    background: str = "",
) -> Sessions:
    """Sessions meant, from the first text that names any (the request's clauses before the
    subject or a forward). Clauses that only give background are read last, outside a thread,
    and only when they name exactly one session: a session mentioned in passing is context."""
    result = Sessions()
    # "And the next one as well?" in reply to our confirmation counts from that session.
    held = [e.starts for e in index.events if e.id in context_ids]
    mentions, unmatched, conflict, in_passing = _first_naming(
        texts, index, now, background if not context_ids else "", max(held, default=None)
    )
    resolved = _narrowed(mentions, index, now, context_ids, result)
    resolved = _counted(mentions, resolved)
    if not resolved and not result.problem and context_ids:
        resolved = set(context_ids)
        result.evidence.append(f"sessions from the thread: {', '.join(context_ids)}")
    # "the logistics webinar on Weds 28th March": a weekday slip only beside words that name
    # the date's session another way.
    corroborated = {
        i for m in mentions if not m.weak and not m.label.startswith("date") for i in m.ids
    }
    result.problem = result.problem or _contradicting_date(
        unmatched, resolved, index, corroborated
    )
    if conflict:
        result.problem = conflict
    loose = next((m.label for m in mentions if m.loose and m.ids & resolved), "")
    # (Nor when the rest of the mail names the workshops: "not the evidence workshops, but every
    # webinar that's left" uses the word for the webinars alone.)
    if loose and not result.problem and "workshop" not in background:
        result.problem = f"{loose}: the webinars only, or the workshops too?"
    result.mentioned = bool(mentions) or bool(unmatched)
    result.day_only = _day_only(mentions, index, now)
    resolved = _without_past(resolved, index, now, result, mentions)
    order = index.order
    result.ids = tuple(sorted(resolved, key=lambda i: order.get(i, (now, i))))
    for m in mentions:
        if m.ids & resolved:
            result.evidence.append(f"{'/'.join(sorted(m.ids & resolved))}: {m.label}")
    if in_passing and len(result.ids) > 1:
        result.problem = "names several sessions, none of them in the sentence that asks"
    strong = [m for m in mentions if not m.weak]
    if not result.problem and len(result.ids) >= 4 and not any(m.exact for m in strong) and not (
        texts and _ALL_ASKED.search(texts[0])
    ):
        result.problem = f"names {len(result.ids)} sessions without asking for all of them"
    return result


# "register me for all of the category webinars apart from furniture - so construction,
# logistics, food and textiles": the sessions are asked for as a whole, then spelled out.
_ALL_ASKED = re.compile(
    r"\ball (?:of )?(?:the |your |these |those )?(?:[a-z-]+ )?(?:webinars|sessions|workshops"
    r"|ones|events)\b|\bevery (?:one of the )?(?:webinar|session|workshop)\b"
)
_BARE_DAY = re.compile(r'day "(?:on )?(?:the )?\d{1,2}(?:st|nd|rd|th)?"')


def our_subject(
    subject: str, index: EventIndex, now: datetime, context_ids: tuple[str, ...]
) -> str:
    """Our own subject, quoted back in a reply in a thread the desk started, as read for
    sessions: it may name the thread's session, but it gives no date, contradiction or session
    of its own ("Place available: Food - please reply by Wed 18 Jun" holds the place until then,
    it names no session day). Anything it says beyond the thread leaves it unread."""
    mentions, unmatched, conflict = event_mentions(subject, index, now)
    if unmatched or conflict or any(not m.ids <= set(context_ids) for m in mentions):
        return ""
    return subject


def _day_only(mentions: Sequence[Mention], index: EventIndex, now: datetime) -> str:
    """"Is there still room on the session on the 29th?": a day of the month, with no month,
    weekday, title or keyword beside it to show the date is the one meant (or only a weekday
    that passes over the nearer such day still to come). Its label, or "".

    A day the series gives one session alone, still to come this month, is that session's date
    ("any chance of a place on the 24th?" on 8 September: 24 September, the only 24th in the
    list). One two sessions share (though one is over), or a day this month has passed ("the
    10th" on 12 November: a slip for the one just held, or next month's?), is still checked."""
    if mentions and all(_BARE_DAY.fullmatch(m.label) or m.by_weekday for m in mentions):
        if all(not m.by_weekday and _in_this_month(m, index, now) for m in mentions):
            return ""
        return mentions[0].label
    return ""


def _in_this_month(mention: Mention, index: EventIndex, now: datetime) -> bool:
    """The mention's one session falls later this month on its day of the month."""
    starts = [e.starts for e in index.events if e.id in mention.ids]
    return len(starts) == 1 and starts[0] > now and (starts[0].year, starts[0].month) == (
        now.year, now.month
    )


def _counted(mentions: Sequence[Mention], resolved: set[str]) -> set[str]:
    """"I'm down for logistics, food and the October workshop - please cancel all three":
    the sessions named one by one, when there are as many as counted, are the ones meant
    (not every session a wider "the rest of the series" takes in)."""
    counts = {m.count for m in mentions if m.count}
    if len(counts) != 1:
        return resolved
    single = set().union(*(m.ids for m in mentions if len(m.ids) == 1 and not m.weak))
    return single if len(single) == counts.pop() else resolved


def _without_past(
    resolved: set[str], index: EventIndex, now: datetime, result: Sessions,
    mentions: Sequence[Mention] = (),
) -> set[str]:
    """A session already held, named beside ones still to come, is context ("I missed
    logistics but sign me up for all the remaining ones"): no place on it can change. Asked for
    by name in one list with them ("book me on construction, logistics and textiles"), it is
    asked for too, and the desk tells the member it is over."""
    past = {e.id for e in index.events if e.id in resolved and e.starts <= now}
    if not past or past == resolved:
        return resolved
    lists = {m.listed for m in mentions if m.listed and m.ids & (resolved - past)}
    past -= {i for m in mentions if m.listed in lists for i in m.ids}
    if not past:
        return resolved
    result.evidence.append(f"already held: {', '.join(sorted(past))}")
    return resolved - past


def _first_naming(
    texts: Sequence[str], index: EventIndex, now: datetime, background: str,
    after: datetime | None = None,
) -> tuple[list[Mention], Unmatched, str, bool]:
    """The mentions of the first text that names a session firmly; else the first weak ones;
    else the background's (then "in passing")."""
    mentions: list[Mention] = []
    unmatched: Unmatched = []
    conflict = ""
    weak_first: tuple[list[Mention], Unmatched, str] | None = None
    for text in texts:
        mentions, unmatched, conflict = event_mentions(text, index, now, after)
        if any(not m.weak for m in mentions) or unmatched:
            return mentions, unmatched, conflict, False
        # (a count alone, "both our places", names no session to fall back on)
        weak_first = weak_first or (
            (mentions, unmatched, conflict) if any(m.ids for m in mentions) else None
        )
    if weak_first is not None:
        # "can I book the one in March?" under the subject "march": the asking words'
        # weak month is not lost because a later text names nothing.
        mentions, unmatched, conflict = weak_first
    if background and not mentions:
        mentions, unmatched, conflict = event_mentions(background, index, now, after)
        # "I'm leaving at the end of May": a month alone in a sentence that only explains is
        # a date of the member's own, not a session named.
        return [m for m in mentions if not m.weak], unmatched, conflict, True
    return mentions, unmatched, conflict, False


def _narrowed(
    mentions: Sequence[Mention], index: EventIndex, now: datetime,
    context_ids: tuple[str, ...], result: Sessions,
) -> set[str]:
    """The sessions the mentions settle on: named ones, then the one that several ambiguous
    mentions (and weak ones, the thread, what is still to come) have in common."""
    strong = [m for m in mentions if not m.weak]
    weak = [m for m in mentions if m.weak]
    resolved: set[str] = set()
    for m in strong:
        if m.exact or len(m.ids) == 1:
            resolved |= m.ids
    open_sets = [m for m in strong if not (m.exact or len(m.ids) == 1) and not (m.ids & resolved)]
    if open_sets:
        common = frozenset.intersection(*(m.ids for m in open_sets))
        days_only = all(m.label.startswith('day "') for m in open_sets)
        shared_day = days_only and len(_upcoming(index, common, now)) > 1
        for m in weak:
            if shared_day and m.label.startswith('kind "'):
                # "the webinar on the 28th" when a webinar and a workshop both fall on a 28th
                # still to come: the word for most sessions is used loosely ("workshop", the
                # rarer kind, is not weak and does settle it).
                result.problem = f"cannot tell which session is meant ({open_sets[0].label})"
            if m.ids & common:
                common = common & m.ids
        if len(common) > 1 and set(context_ids) & common:
            common = common & frozenset(context_ids)
        if len(common) > 1:
            # "the evidence skills workshop" in July: only one of the two is still to come.
            upcoming = frozenset(e.id for e in index.events if e.id in common and e.starts > now)
            common = upcoming or common
        if len(common) == 1 or (common and common <= frozenset(context_ids)):
            resolved |= common
        else:
            labels = ", ".join(m.label for m in open_sets)
            result.problem = f"cannot tell which session is meant ({labels})"
    if not resolved and not open_sets and weak:
        common = frozenset.intersection(*(m.ids for m in weak))
        if len(common) == 1:
            resolved |= common
        elif common and context_ids and common & set(context_ids):
            resolved |= common & set(context_ids)
    return resolved


def _upcoming(index: EventIndex, ids: frozenset[str], now: datetime) -> frozenset[str]:
    return frozenset(e.id for e in index.events if e.id in ids and e.starts > now)


def _contradicting_date(
    unmatched: Unmatched, resolved: set[str], index: EventIndex, corroborated: set[str]
) -> str:
    """A date in the words that ask which is no session's date contradicts what they name
    ("the seafood one on 25 July"): the desk asks rather than picks one of the two."""
    weekday = index.weekday
    dates = {e.id: e.starts.date() for e in index.events} if unmatched else {}
    for phrase, when in unmatched:
        if when is not None and resolved and all(
            dates.get(i) == when and i in corroborated for i in resolved
        ):
            continue  # "Weds 28th March" for the Friday 28 March session: a weekday slip
        named = weekday_named(phrase) if when is None else None
        if named is not None and resolved and all(weekday[i] == named for i in resolved):
            # "cancel me off textiles, can't do weds": the session they name is on a Wednesday.
            continue
        return f"{phrase} does not match a session date"
    return ""
