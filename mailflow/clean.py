"""Pure text cleaning for inbound mail: subject tags, quoted history, forwards, signatures."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from mailflow.clean_history import (
    QUOTE_PREFIX,
    RULE,
    below_the_quote,
    find_boundary,
    header_block,
)
from mailflow.model import ForwardedMail

# Reply/forward prefixes in the languages our members' clients use, and the
# "[External]" banners that mail gateways add; repeated, in any order.
_SUBJECT_TAG = re.compile(
    r"^\s*(?:"
    r"(?P<reply>re|aw|sv|vs|antw|ref|rif)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]"
    r"|(?P<fwd>fwd?|wg|tr|doorst)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]"
    r"|\[\s*(?:external|ext|caution|warning|external email|email from external)[^\]]*\]"
    r"|\(\s*external\s*\)"
    r"|(?:external|ext)\s*:"
    r"|\*+\s*external\s*\*+"
    r")\s*",
    re.IGNORECASE,
)

# The lookbehind and the bounded local part keep a 100 kB run of letters linear, not quadratic.
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_MD_MAILTO = re.compile(r"\[([^\]\n]{0,200})\]\((?:mailto:|https?://)[^)\s]{0,500}\)")
_MD_ESCAPE = re.compile(r"\\([-*_.!#+`\[\]()>|])")
_INVISIBLE = str.maketrans(
    {
        "\u00a0": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
        "\u2028": "\n",
        "\u2029": "\n",
        "\r": "",
    }
)

_INVISIBLE_CHARS = tuple((chr(k), str(v)) for k, v in _INVISIBLE.items())

_MOBILE_FOOTER = re.compile(
    r"^\s*(?:sent from (?:my |the )?(?:iphone|ipad|android|samsung|galaxy|mobile|phone|blackberry"
    r"|outlook|mail for windows|yahoo|huawei|pixel|smartphone|htc|sony|xperia|motorola)[^\n]{0,80}"
    r"|get outlook for (?:ios|android)[^\n]{0,40}"
    r"|sent (?:via|with|using) [^\n]{0,60}"
    r"|sent on the go[^\n]{0,40}"
    r"|envoy(?:é|e) (?:de|depuis) (?:mon )?[^\n]{0,40}"
    r"|von meinem [^\n]{0,40} gesendet|gesendet von [^\n]{0,40}"
    r"|enviado desde (?:mi )?[^\n]{0,40}|inviato da [^\n]{0,40}|verzonden (?:vanaf|met) [^\n]{0,40}"
    r"|odesl(?:á|a)no z [^\n]{0,40}|sendt fra [^\n]{0,40}|skickat fr(?:å|a)n [^\n]{0,40}"
    r"|wys(?:ł|l)ano z [^\n]{0,40})\s*$",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"^\s*(?:[*_]+\s*)?(?:disclaimer|confidentiality(?: notice| note)?"
    r"|important(?: notice)?\s*[:\-]"
    r"|privacy notice|legal notice|caution\s*:|warning\s*:|external email\s*:"
    r"|this (?:e-?mail|message|communication|transmission)"
    r"(?: and any (?:attachments?|files?)[^\n]*)?"
    r" (?:is|are|and|may|contains?|has been|was|originated|is intended|and its)"
    r"|the information (?:contained |in )?(?:in )?this"
    r"|if you (?:have received|are not the intended|received) this"
    r"|please consider the environment|please think before you print"
    r"|[a-z &]{3,60} is (?:a|an) (?:registered|exempt) charity"
    r"|registered (?:office|in england)|any views (?:or opinions )?expressed"
    r"|emails? (?:are|is) (?:not|monitored)|we (?:may )?monitor"
    # The same notices as other languages' mail systems add them.
    r"|ce (?:message|courriel|mail)\b|diese (?:e-?mail|nachricht)\b"
    r"|este (?:mensaje|correo)\b|questo messaggio\b|(?:il )?presente messaggio\b"
    r"|deze e-?mail\b|dit bericht\b|denne e-?mail\b|detta (?:e-?post|meddelande)\b)",
    re.IGNORECASE,
)
# A word each of _DISCLAIMER's openings contains: the cheap test before the costly pattern.
_DISCLAIMER_WORDS = (
    "disclaim", "confidential", "important", "privacy", "legal", "caution", "warning",
    "external", "this ", "information", "if you", "please", "charity", "registered", "views",
    "mail", "monitor", "message", "nachricht", "mensaje", "correo", "messaggio", "bericht",
    "meddelande",
)


# One search for any of the words: a loop of substring tests cost more on every line.
_DISCLAIMER_WORD = re.compile("|".join(re.escape(w) for w in _DISCLAIMER_WORDS))


def _may_be_disclaimer(line: str) -> bool:
    return _DISCLAIMER_WORD.search(line[:200].lower()) is not None


# The words of a closing ("Kind regards", "Met vriendelijke groet").
_CLOSING_WORDS = (
    r"(?:(?:with )?(?:kind|best|warm|warmest|many|kindest|all the best|yours)?\s*"
    r"(?:regards|wishes|thanks|thank you|cheers|rgds|brgds|br|sincerely|faithfully|best)"
    r"(?: again| very much| so much| in advance| a lot| a million)?"
    r"|(?:yours )?(?:sincerely|faithfully|truly)|thx|ta|speak soon|take care"
    r"|best|cheers|many thanks|thanks (?:so|very) much"
    # The closings of the languages the quoted-history markers cover.
    r"|mit freundlichen gr(?:ü|ue)(?:ß|ss)en|(?:viele|beste|liebe) gr(?:ü|ue)(?:ß|ss)e"
    r"|met vriendelijke groet(?:en)?|groetjes|cordialement|bien (?:à|a) vous|saludos|un saludo"
    r"|atentamente|cordiali saluti|distinti saluti|med venlig hilsen"
    r"|med v(?:ä|a)nliga h(?:ä|a)lsningar"
    r"|pozdrawiam|z powa(?:ż|z)aniem|s pozdravem)"
)
# A closing, in two languages at once as some firms set them ("Met vriendelijke groet / Kind
# regards,"), and the name on its line if any.
_CLOSING = re.compile(
    rf"^\s*+(?i:{_CLOSING_WORDS}(?:\s*[/|]\s*{_CLOSING_WORDS})?)"
    r"\s*[,.!]*\s*(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})?\s*[,.]?\s*$",
)
# A question mark that ends a sentence (not a link's "?utm=").
_ASKED = re.compile(r"\?(?:\s|$)")
_SIG_DASHES = re.compile(r"^\s*--\s*$|^\s*—\s*$")
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|morning|afternoon|hiya|greetings"
    # The salutations of the languages the quoted-history markers cover.
    r"|gentile|gentili|egregio|egregia|caro|cara|buongiorno|salve|estimad[oa]s?|querid[oa]s?"
    r"|hola|buenos d(?:í|i)as|buenas tardes|sehr geehrte[rs]?|liebe[rs]?|hallo|guten tag"
    r"|bonjour|bonsoir|ch(?:è|e)re?s?|madame|monsieur|geachte|beste|hej|hei|dzie(?:ń|n) dobry"
    r"|szanown[aiy]|vážen(?:á|ý))"
    r"\b(?:[ \t]+[\w'’./&-]+){0,3}[ \t]*[,!:.]?[ \t]*$",
    re.IGNORECASE,
)
# "One question inline below", "answers in red": a pointer to words written in the quote.
_POINTS_BELOW = re.compile(
    r"\b(?:inline|in line|below|beneath|interleaved|in (?:red|blue|bold|green))\b", re.IGNORECASE
)


def _written_below(own_lines: list[str]) -> bool:
    """Whether the words above the quote leave the reply to be found below it: none but a
    greeting, or a short note that points below."""
    said = [line for line in own_lines if line.strip() and not _GREETING.match(line)]
    if not said:
        return True
    return len(" ".join(said).split()) <= 20 and any(_POINTS_BELOW.search(s) for s in said)


_NAME_LINE = re.compile(r"^\s*(?P<name>[A-Z][a-zA-Z'’-]+(?:[ -][A-Z][a-zA-Z'’.-]+){0,3})\s*,?\s*$")
_SPACES = re.compile(r"[ \t]+")
_MANY_BLANKS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class CleanSubject:
    text: str  # without Re:/Fwd:/[External] tags
    is_reply: bool
    is_forward: bool


@dataclass(frozen=True)
class CleanText:
    """One message body split into what its sender wrote and what they carried along."""

    own: str  # the sender's own words: no greeting, closing, signature, quotes or disclaimers
    closing: str = ""  # "Many thanks", "Kind regards" ... (kept: "Thanks!" may be all there is)
    signature: str = ""
    signature_name: str = ""
    forwarded: tuple[ForwardedMail, ...] = ()  # forwarded messages, each already cleaned
    quoted: str = ""  # reply history, kept only for reference


def clean_subject(subject: str) -> CleanSubject:
    """Strip reply/forward prefixes and gateway banners from a subject."""
    text = subject or ""
    is_reply = is_forward = False
    for _ in range(20):  # bounded: "Re: RE: Fwd: [External] Re: ..."
        found = _SUBJECT_TAG.match(text)
        if not found or found.end() == 0:
            break
        is_reply = is_reply or bool(found.group("reply"))
        is_forward = is_forward or bool(found.group("fwd"))
        text = text[found.end() :]
    return CleanSubject(_SPACES.sub(" ", text).strip(), is_reply, is_forward)


def normalise(text: str) -> str:
    """Undo HTML-conversion artefacts (markdown links, escapes) and invisible characters."""
    text = text or ""
    # str.replace per character present is many times faster than translate() on long text.
    for char, replacement in _INVISIBLE_CHARS:
        if char in text:
            text = text.replace(char, replacement)
    if "](" in text:
        text = _MD_MAILTO.sub(r"\1", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return text


def display_name(raw: str) -> str:
    """ "Shah, Priya" -> "Priya Shah"; quotes and stray addresses removed."""
    name = EMAIL.sub("", raw or "").strip(" \t\"'<>[]()")
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if last and first and " " not in last:
            name = f"{first} {last}"
    return _SPACES.sub(" ", name).strip(" ,;:")


def _strip_footer(lines: list[str]) -> tuple[list[str], str, str, str]:
    """Split own lines into (body, closing, signature, signature name)."""
    kept = [line for line in lines if len(line) > 160 or not _MOBILE_FOOTER.match(line)]
    for i, line in enumerate(kept):
        if i > 0 and _may_be_disclaimer(line) and _DISCLAIMER.match(line[:200]):
            kept = kept[:i]
            break
        if _SIG_DASHES.match(line):
            signature = "\n".join(kept[i + 1 :]).strip()
            return kept[:i], "", signature, _first_name_line(kept[i + 1 :])
    # The closing is the last "Kind regards"-like line followed only by a short signature.
    for i in range(len(kept) - 1, max(-1, len(kept) - 40), -1):
        # A closing is a short line near the end; a long line is never one.
        if len(kept[i]) > 80:
            continue
        found = _CLOSING.match(kept[i])
        if not found:
            continue
        tail = [t for t in kept[i + 1 :] if t.strip()]
        # (Nor is a line with a question under it a closing, nor any line above it: "Thanks
        # Suzanne.\n\nCould you also book me onto October?" - the thanks opened the mail.)
        if len(tail) > 12 or any(_ASKED.search(t) for t in tail):
            break
        closing = kept[i].strip()
        name = _first_name_line(tail) or found.group("name")
        return kept[:i], closing, "\n".join(tail), name or ""
    return kept, "", "", ""


def _first_name_line(lines: list[str]) -> str:
    for line in lines:
        if not line.strip():
            continue
        found = _NAME_LINE.match(line)
        return found.group("name") if found else ""
    return ""


def _tidy(lines: list[str]) -> str:
    text = "\n".join(_SPACES.sub(" ", line).rstrip() for line in lines)
    return _MANY_BLANKS.sub("\n\n", text).strip()


def _signed_address(name: str, body: str) -> str:
    """"From: Reid, Tom" with no address: the one address in the forwarded body (its
    signature) that is the writer's own, its local part holding their surname or first name."""
    words = {w.lower() for w in re.split(r"[\s,.'’-]+", name) if len(w) > 1}
    if not words:
        return ""
    own = {
        a.lower()
        for a in EMAIL.findall(body)
        if words & set(re.split(r"[._+-]", a.split("@")[0].lower()))
    }
    return own.pop() if len(own) == 1 else ""


def _forwarded_from(fields: dict[str, str], body: str, depth: int) -> list[ForwardedMail]:
    raw_from = fields.get("from", "")
    found = EMAIL.search(raw_from)
    inner = _clean_body(body, False, depth + 1)
    name = display_name(raw_from.split("[mailto:")[0]) or inner.signature_name
    address = found.group(0).lower() if found else _signed_address(name, body[:4_000])
    forwarded = ForwardedMail(
        sender=address,
        sender_name=name,
        subject=clean_subject(fields.get("subject", "")).text,
        text=_join_own(inner),
        copied=fields.get("cc", ""),
        addressed=fields.get("to", ""),
    )
    nested = list(inner.forwarded)
    if not nested and depth < 3:
        # A reply chain inside the forward ("-----Original Message----- / From: Ana Ribeiro
        # <ana@...>"): each earlier mail with its writer's address is forwarded too.
        nested = [f for f in _clean_body(body, True, depth + 1).forwarded if f.sender]
    return [forwarded, *nested]


def _join_own(clean: CleanText) -> str:
    """The words of a cleaned forwarded body, with its closing (a bare "Thanks" may matter)."""
    return "\n".join(p for p in (clean.own, clean.closing) if p)


def clean_body(text: str, forward: bool = False, _depth: int = 0) -> CleanText:
    """Split a plain-text body into the sender's own words, forwarded mail and quoted history.

    `forward` says the subject marks a forward (Fwd:/FW:), so an Outlook header block
    introduces forwarded content rather than reply history.
    """
    if _depth:
        return _clean_body(text, forward, _depth)
    return _recent_clean(text, forward)


def excerpt(text: str, limit: int = 600) -> str:
    """The sender's own words, for the coordinator's attention list and digest."""
    try:
        own = clean_body(text).own if text else ""
    except Exception:  # noqa: BLE001 - an excerpt is a courtesy; the raw text will do
        own = ""
    return (own or text).strip()[:limit]


# Handling cleans one body twice, for understanding and for the coordinator's excerpt: the
# last few results are kept (a CleanText is immutable, so sharing one is safe).
@functools.lru_cache(maxsize=4)
def _recent_clean(text: str, forward: bool) -> CleanText:
    return _clean_body(text, forward, 0)


def _clean_body(text: str, forward: bool, _depth: int) -> CleanText:
    lines = normalise(text).split("\n")
    boundary, kind = find_boundary(lines)
    own_lines = [line for line in lines[:boundary] if not QUOTE_PREFIX.match(line)]
    history = lines[boundary:]
    if kind in ("reply", "header", "original") and _written_below(own_lines):
        # Nothing above the quote but a greeting, or a pointer to answers below it ("one
        # question inline below"): the member wrote below it, or between its lines.
        history, below = below_the_quote(history)
        if below:
            # (The name signed under the pointer is no signature over the answers below.)
            top = _strip_footer(own_lines)[0]
            while top and (not top[-1].strip() or _NAME_LINE.match(top[-1])):
                top = top[:-1]
            own_lines = [*top, "", *below]

    # A message that is nothing but ">"-quoted text is a forward some clients quote.
    if not any(line.strip() for line in own_lines) and not history:
        unquoted = [QUOTE_PREFIX.sub("", line) for line in lines]
        if any(line.strip() for line in unquoted) and _depth < 3:
            inner = _clean_body("\n".join(unquoted), forward, _depth + 1)
            return CleanText(own="", forwarded=inner.forwarded, quoted=_join_own(inner))

    forwarded: list[ForwardedMail] = []
    quoted = ""
    if history and _depth < 4:
        is_forward = kind == "forward" or (forward and kind in ("header", "original"))
        start = 1 if kind in ("forward", "original") else 0
        if kind == "header" and RULE.match(history[0]):
            start = 1
        if is_forward:
            body_lines = [QUOTE_PREFIX.sub("", line) for line in history[start:]]
            block = header_block(body_lines, 0)
            if block is not None:
                fields, body_start = block
                forwarded = _forwarded_from(fields, "\n".join(body_lines[body_start:]), _depth)
            else:
                inner = _clean_body("\n".join(body_lines), False, _depth + 1)
                forwarded = [ForwardedMail("", inner.signature_name, "", _join_own(inner))]
        else:
            quoted = _tidy(history)
    elif history:
        quoted = _tidy(history)

    body, closing, signature, sig_name = _strip_footer(own_lines)
    while body and (not body[0].strip() or _GREETING.match(body[0])):
        body = body[1:]
    return CleanText(
        own=_tidy(body),
        closing=closing,
        signature=signature,
        signature_name=sig_name,
        forwarded=tuple(forwarded),
        quoted=quoted,
    )
