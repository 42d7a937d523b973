"""Pure text cleaning for inbound mail: subject tags, quoted history, forwards, signatures."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        ("sent", "gesendet", "envoyé", "enviado", "inviato", "verzonden", "odesláno", "sendt",
         "skickat", "wysłano", "发送时间", "보낸 날짜"),
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
_RULE = re.compile(r"^\s*[_\-=]{8,}\s*$")
_ONE_LINE_HEADER = re.compile(
    r"\bfrom:\s.{1,200}\b(?:sent|date):\s.{1,100}\bsubject:", re.IGNORECASE
)

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


def _may_be_disclaimer(line: str) -> bool:
    low = line[:200].lower()
    return any(word in low for word in _DISCLAIMER_WORDS)


_CLOSING = re.compile(
    r"^\s*+(?i:(?:with )?(?:kind|best|warm|warmest|many|kindest|all the best|yours)?\s*"
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
    r"\s*[,.!]*\s*(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})?\s*[,.]?\s*$",
)
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
_NAME_LINE = re.compile(r"^\s*(?P<name>[A-Z][a-zA-Z'’-]+(?:[ -][A-Z][a-zA-Z'’.-]+){0,3})\s*,?\s*$")
_QUOTE_PREFIX = re.compile(r"^\s*>+ ?")
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


def _header_block(lines: list[str], start: int) -> tuple[dict[str, str], int] | None:
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


def _find_boundary(lines: list[str]) -> tuple[int, str]:
    """Index and kind ("reply" | "forward" | "header" | "original") of the first history marker."""
    hints = [_may_be_wrote(line) for line in lines]
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _FORWARD_MARK.match(line):
            return i, "forward"
        if _ORIGINAL.match(line):
            return i, "original"
        if _RULE.match(line) and i + 1 < len(lines):
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


def _below_the_quote(history: list[str]) -> tuple[list[str], list[str]]:
    """(history, own lines) of a reply written under the quoted mail: the lines after the
    last ">"-quoted line, or after a closing rule ("-----") that ends an unquoted quote."""
    quoted = [i for i, line in enumerate(history) if _QUOTE_PREFIX.match(line)]
    cut = -1
    if quoted:
        cut = quoted[-1]
    else:
        rules = [i for i, line in enumerate(history) if i > 0 and _BOTTOM_RULE.match(line)]
        if rules and _find_boundary(history[rules[-1] + 1 :])[1] == "":
            cut = rules[-1]
    below = history[cut + 1 :] if cut >= 0 else []
    if not any(line.strip() for line in below):
        return history, []
    return history[: cut + 1], below


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
        if len(tail) > 12:
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
    inner = clean_body(body, forward=False, _depth=depth + 1)
    name = display_name(raw_from.split("[mailto:")[0]) or inner.signature_name
    address = found.group(0).lower() if found else _signed_address(name, body[:4_000])
    forwarded = ForwardedMail(
        sender=address,
        sender_name=name,
        subject=clean_subject(fields.get("subject", "")).text,
        text=_join_own(inner),
    )
    return [forwarded, *inner.forwarded]


def _join_own(clean: CleanText) -> str:
    """The words of a cleaned forwarded body, with its closing (a bare "Thanks" may matter)."""
    return "\n".join(p for p in (clean.own, clean.closing) if p)


def clean_body(text: str, forward: bool = False, _depth: int = 0) -> CleanText:
    """Split a plain-text body into the sender's own words, forwarded mail and quoted history.

    `forward` says the subject marks a forward (Fwd:/FW:), so an Outlook header block
    introduces forwarded content rather than reply history.
    """
    lines = normalise(text).split("\n")
    boundary, kind = _find_boundary(lines)
    own_lines = [line for line in lines[:boundary] if not _QUOTE_PREFIX.match(line)]
    history = lines[boundary:]
    if kind in ("reply", "header", "original") and not any(line.strip() for line in own_lines):
        # Nothing above the quote: the member wrote below it.
        history, own_lines = _below_the_quote(history)

    # A message that is nothing but ">"-quoted text is a forward some clients quote.
    if not any(line.strip() for line in own_lines) and not history:
        unquoted = [_QUOTE_PREFIX.sub("", line) for line in lines]
        if any(line.strip() for line in unquoted) and _depth < 3:
            inner = clean_body("\n".join(unquoted), forward, _depth + 1)
            return CleanText(own="", forwarded=inner.forwarded, quoted=_join_own(inner))

    forwarded: list[ForwardedMail] = []
    quoted = ""
    if history and _depth < 4:
        is_forward = kind == "forward" or (forward and kind in ("header", "original"))
        start = 1 if kind in ("forward", "original") else 0
        if kind == "header" and _RULE.match(history[0]):
            start = 1
        if is_forward:
            body_lines = [_QUOTE_PREFIX.sub("", line) for line in history[start:]]
            block = _header_block(body_lines, 0)
            if block is not None:
                fields, body_start = block
                forwarded = _forwarded_from(fields, "\n".join(body_lines[body_start:]), _depth)
            else:
                inner = clean_body("\n".join(body_lines), False, _depth + 1)
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
