"""Property tests: any text, MIME tree or charset is read without raising, deterministically."""

from __future__ import annotations

from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailflow.clean import clean_body, clean_subject
from mailflow.model import InboundMail, Intent, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import DEFAULT_NOW, series_2025

EVENTS = series_2025()
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words that steer the interpreter's branches, mixed with arbitrary text.
VOCAB = [
    "book me",
    "cancel",
    "in my place",
    "yes please",
    "no thanks",
    "thanks!",
    "workshop",
    "webinar",
    "textiles",
    "the 24th",
    "24/09",
    "Sept 24th",
    "next one",
    "all of them",
    "webinar 4",
    "?",
    "\n",
    ".",
    "From: A <a@b.example>\nSent: today\nTo: x\nSubject: y\n",
    "On Mon, Bob wrote:",
    "> quoted",
    "---------- Forwarded message ---------",
    "Kind regards,",
    "-- ",
    "Sent from my iPhone",
    "sam@camden-council.example",
    "Sam Patel",
    "my colleague",
    "don't",
    "might",
    "recording",
    "May",
]
text_strategy = st.lists(st.one_of(st.sampled_from(VOCAB), st.text(max_size=40)), max_size=25).map(
    " ".join
)
context_strategy = st.one_of(
    st.none(),
    st.builds(
        ThreadContext,
        outcome=st.sampled_from(["offered", "confirmed", "waitlisted", "cancelled", "unclear", ""]),
        event_ids=st.lists(st.sampled_from([e.id for e in EVENTS] + ["gone-2024"]), max_size=3).map(
            tuple
        ),
        recipient=st.just("jo@camden-council.example"),
    ),
)
CHARSETS = [
    "utf-8",
    "windows-1252",
    "iso-8859-1",
    "us-ascii",
    "utf-16",
    "koi8-r",
    "x-unknown",
    "utf8",
    "",
]


def inbound(text: str, subject: str) -> InboundMail:
    return InboundMail("<p@x>", "jo@camden-council.example", "Jo", subject, None, "", (), text)


@SETTINGS
@given(text=text_strategy, subject=text_strategy, context=context_strategy)
def test_random_text_never_raises_and_is_deterministic(
    text: str, subject: str, context: ThreadContext | None
) -> None:
    first = understand(inbound(text, subject), EVENTS, DEFAULT_NOW, context)
    again = understand(inbound(text, subject), EVENTS, DEFAULT_NOW, context)
    assert first == again
    assert isinstance(first.intent, Intent)
    assert 0.0 <= first.confidence <= 1.0
    assert set(first.event_ids) <= {e.id for e in EVENTS} | set(
        context.event_ids if context else ()
    )


@SETTINGS
@given(text=st.text(max_size=400))
def test_cleaning_never_raises(text: str) -> None:
    cleaned = clean_body(text, forward=True)
    assert isinstance(cleaned.own, str)
    assert isinstance(clean_subject(text).text, str)


def _leaf(draw: st.DrawFn) -> MIMEText:
    body = draw(text_strategy)
    subtype = draw(st.sampled_from(["plain", "html"]))
    charset = draw(st.sampled_from(CHARSETS))
    part = MIMEText("", subtype, "utf-8")
    del part["Content-Transfer-Encoding"]
    try:
        raw = body.encode(charset or "utf-8", errors="replace")
    except LookupError:
        raw = body.encode("utf-8")
    encoding = draw(st.sampled_from(["8bit", "base64", "quoted-printable", "bogus"]))
    if encoding == "base64":
        import base64

        payload = base64.encodebytes(raw).decode("ascii")
    elif encoding == "quoted-printable":
        import quopri

        payload = quopri.encodestring(raw).decode("ascii")
    else:
        payload = raw.decode("ascii", "surrogateescape")
    part.set_payload(payload)
    if charset:
        part.set_param("charset", charset)
    part["Content-Transfer-Encoding"] = encoding
    return part


@st.composite
def mime_tree(draw: st.DrawFn, depth: int = 0) -> object:
    if depth >= 3 or draw(st.booleans()):
        return _leaf(draw)
    kind = draw(st.sampled_from(["alternative", "mixed", "related", "rfc822"]))
    if kind == "rfc822":
        inner = EmailMessage()
        inner["From"] = draw(
            st.sampled_from(["Priya <priya@camden-council.example>", "", "broken <<"])
        )
        inner["Subject"] = " ".join(draw(st.text(max_size=30)).splitlines())
        inner.set_content(draw(text_strategy))
        outer = MIMEMultipart("mixed")
        from email.mime.message import MIMEMessage

        outer.attach(MIMEMessage(inner))
        return outer
    container = MIMEMultipart(kind)
    for child in draw(st.lists(mime_tree(depth + 1), min_size=0, max_size=3)):
        container.attach(child)  # type: ignore[arg-type]
    return container


@SETTINGS
@given(tree=mime_tree(), subject=st.text(max_size=60), context=context_strategy)
def test_random_mime_trees_and_charsets_never_raise(
    tree: object, subject: str, context: ThreadContext | None
) -> None:
    message = tree
    message["From"] = "Jo Bloggs <jo@camden-council.example>"  # type: ignore[index]
    message["Subject"] = " ".join(subject.splitlines())  # type: ignore[index]
    try:
        raw = message.as_bytes()  # type: ignore[attr-defined]
    except (UnicodeError, ValueError, LookupError):
        return  # the generator itself cannot write this tree; nothing to parse
    mail = parse_message(raw)
    request = understand(mail, EVENTS, DEFAULT_NOW, context)
    assert request == understand(parse_message(raw), EVENTS, DEFAULT_NOW, context)


@SETTINGS
@given(raw=st.binary(max_size=2000))
def test_random_bytes_never_raise(raw: bytes) -> None:
    understand(parse_message(raw), EVENTS, DEFAULT_NOW)
