"""Where a body's quoted history or forward starts: reply headers in many languages."""

from __future__ import annotations

import re

# Quoted-history markers in the languages mail clients write them in. The languages and the
# shape of each header follow the maintained reply parser mail-parser-reply (en, de, cs, da,
# es, fr, it, ja, ko, nl, pl, sv, zh); the patterns here are written for this module.
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(?:original message|urspr(?:ü|ue)ngliche nachricht|message d'origine"
    r"|mensaje original|messaggio originale|oorspronkelijk bericht|origineel bericht"
    r"|oprindelig meddelelse|ursprungligt meddelande|originalmeddelande"
    r"|p(?:ů|u)vodn(?:í|i) zpr(?:á|a)va"
    r"|wiadomo(?:ś|s)(?:ć|c) oryginalna|mensagem original)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_FORWARD_MARK = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded (?:message|e-?mail)|weitergeleitete nachricht"
    r"|message transf[ée]r[ée]|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht"
    r"|videresendt meddelelse|vidarebefordrat meddelande|p(?:ř|r)eposlan(?:á|a) zpr(?:á|a)va"
    r"|przekazana wiadomo(?:ś|s)(?:ć|c))\s*-{2,}"
    r"|begin forwarded message\s*:"
    r"|forwarded message\s*:?)\s*$",
    re.IGNORECASE,
)
# "On Mon, 6 Jan 2025 at 09:14, Priya <p@x> wrote:", "Am 3.1.2025 um 14:22 schrieb Amélie
# <a@x>:", "Le lun. 27 janv. 2025 à 11:20, Claire <c@x> a écrit :" (often wrapped onto two or
# three lines). The name may come before or after the verb.
_WROTE_VERB = (
    r"(?:wrote|schrieb|a (?:é|e)crit|escribi(?:ó|o)|ha scritto|schreef|napsal\(a\)|napsal"
    r"|skrev|napisa(?:ł|l)\(a\)|napisa(?:ł|l)|nades(?:ł|l)a(?:ł|l)|escreveu|写道"
    r"|님이 작성하였습니다)"
)
_WROTE_LEAD = r"(?:on|le|am|el|il|op|dne|den|dnia|em|\w{2,4}\.?,?\s+\d|\d)"
_WROTE = re.compile(
    rf"^\s*{_WROTE_LEAD}.{{0,300}}?{_WROTE_VERB}(?:\s.{{0,200}}?)?\s*[:：]\s*$",
    re.IGNORECASE | re.DOTALL,
)
_WROTE_SHORT = re.compile(rf"^.{{0,200}}{_WROTE_VERB}\s*[:：]\s*$", re.IGNORECASE)
_WROTE_HINT = re.compile(_WROTE_VERB, re.IGNORECASE)
# Japanese and Chinese clients: "2025年1月3日(金) 14:22 Priya <p@x>:".
_WROTE_CJK = re.compile(r"^\s*\d{4}年\d{1,2}月\d{1,2}日.{0,120}[:：]\s*$")
_HEADER_NAMES = {
    **dict.fromkeys(
        ("from", "von", "de", "da", "van", "od", "fra", "från", "发件人", "보낸 사람"), "from"
    ),
    **dict.fromkeys(
        ("sent", "gesendet", "envoyé", "enviado", "enviado el", "inviato", "verzonden",
         "odesláno", "sendt", "skickat", "wysłano", "发送时间", "보낸 날짜"),
        "date",
    ),
    **dict.fromkeys(("date", "datum", "fecha", "data", "dato"), "date"),
    **dict.fromkeys(
        ("to", "an", "à", "a", "para", "aan", "komu", "til", "till", "do", "收件人", "받는 사람"),
        "to",
    ),
    **dict.fromkeys(("cc", "kopie", "kopi", "kopia", "dw", "抄送", "참조"), "cc"),
    **dict.fromkeys(
        ("subject", "betreff", "objet", "asunto", "oggetto", "onderwerp", "předmět", "emne",
         "ämne", "temat", "主题", "제목"),
        "subject",
    ),
}
# Runs of blanks around optional markers are written so each blank has one way to be matched:
# "\s*[*_>]*\s*" tried every split of a line's leading spaces (indented report lines cost a
# tenth of a millisecond each); "\s*(?:[*_>]+\s*)?" matches the same lines, at once.
_HEADER_LINE = re.compile(
    r"^\s*(?:[*_>]+\s*)?("
    + "|".join(sorted((re.escape(k) for k in _HEADER_NAMES), key=len, reverse=True))
    + r")\s*(?:[*_]+\s*)?[:：]\s*(.*)$",
    re.IGNORECASE,
)
_DATE_HEADER = re.compile(
    r"\b(" + "|".join(re.escape(k) for k, v in _HEADER_NAMES.items() if v == "date")
    + r")\s*[*_]*[:：]",
    re.IGNORECASE,
)
_TO_OR_SUBJECT_HEADER = re.compile(
    r"(?:^|\s)(" + "|".join(re.escape(k) for k, v in _HEADER_NAMES.items()
                            if v in ("to", "subject"))
    + r")\s*[*_]*[:：]",
    re.IGNORECASE,
)
RULE = re.compile(r"^\s*[_\-=]{8,}\s*$")
_ONE_LINE_HEADER = re.compile(
    r"\bfrom:\s.{1,200}\b(?:sent|date):\s.{1,100}\bsubject:", re.IGNORECASE
)

QUOTE_PREFIX = re.compile(r"^\s*>+ ?")


def header_block(lines: list[str], start: int) -> tuple[dict[str, str], int] | None:
    """Parse an Outlook/Gmail-style header block at `start`; (fields, first body line) or None."""
    fields: dict[str, str] = {}
    i = start
    limit = min(len(lines), start + 12)
    while i < limit:
        line = lines[i]
        if not line.strip():
            if fields:
                break
            i += 1
            continue
        found = _HEADER_LINE.match(line)
        if not found:
            if fields and "subject" not in fields and not _HEADER_LINE.match(lines[i - 1]):
                break
            # Wrapped header value (long To: lists): glue it to the previous field.
            if fields and i > start and lines[i - 1].strip():
                last = next(reversed(fields))
                fields[last] += " " + line.strip()
                i += 1
                continue
            break
        key = _HEADER_NAMES.get(found.group(1).lower(), "")
        fields.setdefault(key, found.group(2).strip())
        i += 1
    if "from" in fields and len(fields) >= 2:
        return fields, i
    return None


def _is_header_block_start(lines: list[str], i: int) -> bool:
    head = lines[i][:60]
    if ":" not in head and "：" not in head:
        return False  # cheap test first: every header line has its colon near the start
    found = _HEADER_LINE.match(lines[i])
    if not found or _HEADER_NAMES.get(found.group(1).lower()) != "from":
        return False
    window = "\n".join(lines[i + 1 : i + 6])
    return bool(_DATE_HEADER.search(window)) and bool(_TO_OR_SUBJECT_HEADER.search(window))


# A word of every "wrote" verb, tested as a plain substring before any pattern.
_WROTE_WORDS = ("wrote", "schrieb", "crit", "escribi", "scritto", "schreef", "napsal", "skrev",
                "napisa", "nades", "escreveu", "写道", "작성")


def _may_be_wrote(line: str) -> bool:
    low = line.lower()
    return any(word in low for word in _WROTE_WORDS) and bool(_WROTE_HINT.search(line))


def find_boundary(lines: list[str]) -> tuple[int, str]:
    """Index and kind ("reply" | "forward" | "header" | "original") of the first history marker."""
    # Most texts hold no "wrote" word anywhere: one test of the whole text spares one a line.
    whole = "\n".join(lines).lower()
    if any(word in whole for word in _WROTE_WORDS):
        hints = [_may_be_wrote(line) for line in lines]
    else:
        hints = [False] * len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _FORWARD_MARK.match(line):
            return i, "forward"
        if _ORIGINAL.match(line):
            return i, "original"
        if RULE.match(line) and i + 1 < len(lines):
            nxt = next((j for j in range(i + 1, min(len(lines), i + 3)) if lines[j].strip()), None)
            if nxt is not None and _is_header_block_start(lines, nxt):
                return i, "header"
        if _is_header_block_start(lines, i):
            return i, "header"
        if _ONE_LINE_HEADER.search(line):
            return i, "header"
        if _WROTE_CJK.match(stripped):
            return i, "reply"
        if len(stripped) < 400 and any(hints[i : i + 3]):
            for end in range(i, min(len(lines), i + 3)):
                candidate = " ".join(part.strip() for part in lines[i : end + 1])
                if _WROTE.match(candidate) or (end == i and _WROTE_SHORT.match(candidate)):
                    return i, "reply"
    return len(lines), ""


_BOTTOM_RULE = re.compile(r"^\s*(?:-{3,}|_{3,}|={3,}|\*{3,})\s*$")


def below_the_quote(history: list[str]) -> tuple[list[str], list[str]]:
    """(history, own lines) of a reply written under the quoted mail: the lines after the
    last ">"-quoted line, or after a closing rule ("-----") that ends an unquoted quote.

    A reply written between quoted lines (Gmail's interleaved answer, with the quoted
    closing and signature left below it) is the member's too: an unquoted stretch that a
    blank line sets apart from the quote above it. A stretch glued to the quoted line
    above is that line wrapped by the client, so it stays with the quote."""
    quoted = [i for i, line in enumerate(history) if QUOTE_PREFIX.match(line)]
    cut = -1
    if quoted:
        cut = quoted[-1]
    else:
        rules = [i for i, line in enumerate(history) if i > 0 and _BOTTOM_RULE.match(line)]
        if rules and find_boundary(history[rules[-1] + 1 :])[1] == "":
            cut = rules[-1]
    below = history[cut + 1 :] if cut >= 0 else []
    between = _between_the_quote(history, quoted)
    if not any(line.strip() for line in below) and not between:
        return history, []
    kept = [line for i, line in enumerate(history[: cut + 1]) if i not in between]
    return kept, [history[i] for i in sorted(between)] + below


def _between_the_quote(history: list[str], quoted: list[int]) -> set[int]:
    """Indexes of the unquoted lines between the first and last quoted lines that stand
    apart from the quote above them (a blank line between)."""
    if len(quoted) < 2:
        return set()
    own: set[int] = set()
    stretch: list[int] = []  # (begun only by a written line after a blank one)
    apart = False
    for i in range(quoted[0] + 1, quoted[-1] + 1):
        line = history[i]
        if QUOTE_PREFIX.match(line):
            own.update(stretch)
            stretch, apart = [], False
        elif not line.strip() and not stretch:
            apart = True
        elif apart:
            stretch.append(i)
    return own
