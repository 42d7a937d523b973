"""Composed mail is written byte for byte as the standard library's generator writes it."""

from __future__ import annotations

import email.encoders
import email.utils
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from hypothesis import given, settings
from hypothesis import strategies as st

from mailflow import mime
from mailflow.mime import POLICY, UTF8_QP, Attachment
from mailflow.reply import folded_subject

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=160)
attachments = st.lists(st.builds(
    Attachment,
    filename=st.from_regex(r"(invite|cancel)-[A-Za-z0-9._-]{1,40}\.ics", fullmatch=True),
    content_type=st.sampled_from(["text/calendar; method=REQUEST; charset=UTF-8",
                                  "text/calendar; method=CANCEL; charset=UTF-8"]),
    data=st.binary(max_size=400)), max_size=3)


def calendar_part(attachment: Attachment, inline: bool) -> MIMEBase:
    """The calendar part as email.mime builds it (the composer's shape before mime.letter)."""
    part = MIMEBase(*(("text", "calendar") if inline else ("application", "ics")))
    _, _, rest = attachment.content_type.partition(";")
    for param in rest.split(";"):
        key, _, value = param.strip().partition("=")
        if key and (inline or key.lower() != "charset"):
            part.set_param(key, value)
    part.set_payload(attachment.data)
    email.encoders.encode_base64(part)
    if not inline:
        part.set_param("name", attachment.filename)
        part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def tree(headers: list[tuple[str, str]], text: str, html: str, files: list[Attachment],
         edges: tuple[str, str]) -> MIMEMultipart:
    """The same letter as an email.message tree, for the generator to write."""
    body = MIMEMultipart("alternative", boundary=edges[0])
    body.attach(MIMEText(text, "plain", UTF8_QP))  # type: ignore[arg-type]
    body.attach(MIMEText(html, "html", UTF8_QP))  # type: ignore[arg-type]
    msg = body
    if files:
        body.attach(calendar_part(files[0], inline=True))
        msg = MIMEMultipart("mixed", boundary=edges[1])
        msg.attach(body)
        for attachment in files:
            msg.attach(calendar_part(attachment, inline=False))
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]
    for name, value in headers:
        msg[name] = value
    return msg


@settings(max_examples=60, deadline=None)
@given(text=words, html=words, name=words, subject=words, refs=st.integers(0, 30),
       files=attachments, extra=words)
def test_composed_mail_is_written_as_the_generator_writes_it(
        text: str, html: str, name: str, subject: str, refs: int, files: list[Attachment],
        extra: str) -> None:
    headers = [("From", email.utils.formataddr((name, "desk@lupc.example"), charset="utf-8")),
               ("To", email.utils.formataddr((name[:100], "member@example.org"),
                                             charset="utf-8")),
               ("Subject", folded_subject(subject)),
               ("References", " ".join(f"<ref{n}.{'x' * 40}@mail.example>" for n in range(refs))),
               ("X-Mailflow-Outcome", "s1=confirmed; s2=waitlisted"),
               ("X-Extra", extra.replace("\r", "").replace("\n", ""))]
    edges = (mime.boundary(), mime.boundary())
    written = mime.letter(headers, text + "\n", html + "\n", files, edges)
    assert written == tree(headers, text + "\n", html + "\n", files, edges).as_bytes(
        policy=POLICY)


@given(name=st.sampled_from(["To", "Message-ID", "X-Mailflow-Outcome"]),
       value=st.text(st.characters(max_codepoint=0x7f), max_size=1100))
def test_a_header_line_is_folded_as_the_policy_folds_it(name: str, value: str) -> None:
    try:
        expected = POLICY.fold_binary(name, value)
    except Exception as exc:  # noqa: BLE001 - the policy refuses some values: so must we
        expected = type(exc).__name__.encode()
    try:
        written = mime.header(name, value)
    except Exception as exc:  # noqa: BLE001
        written = type(exc).__name__.encode()
    assert written == expected


def test_quoted_printable_lines_stay_within_76_and_soft_breaks_decode_back() -> None:
    text = "Dear Ngozi,\n\n" + "You have a place at Food (including frozen seafood) – " * 6 + "\n"
    encoded = mime.quoted_printable(text)
    assert all(len(line) <= 76 for line in encoded.split(b"\r\n"))
    import quopri
    assert quopri.decodestring(encoded).decode("utf-8").replace("\r\n", "\n") == text
