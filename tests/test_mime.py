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
from mailflow.reply import MAIL_POLICY, UTF8_QP, folded_subject

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=120)


def composed(text: str, html: str, name: str, subject: str, refs: int, ics: bytes) -> MIMEMultipart:
    body = MIMEMultipart("alternative", boundary=mime.boundary())
    body.attach(MIMEText(text + "\n", "plain", UTF8_QP))  # type: ignore[arg-type]
    body.attach(MIMEText(html + "\n", "html", UTF8_QP))  # type: ignore[arg-type]
    msg = body
    if ics:
        part = MIMEBase("text", "calendar")
        part.set_param("method", "REQUEST")
        part.set_payload(ics)
        email.encoders.encode_base64(part)
        del part["MIME-Version"]
        msg = MIMEMultipart("mixed", boundary=mime.boundary())
        msg.attach(body)
        msg.attach(part)
    msg["From"] = email.utils.formataddr((name, "desk@lupc.example"), charset="utf-8")
    msg["To"] = email.utils.formataddr((name[:100], "member@example.org"), charset="utf-8")
    msg["Subject"] = folded_subject(subject)
    msg["References"] = " ".join(f"<ref{n}.{'x' * 40}@mail.example>" for n in range(refs))
    msg["X-Mailflow-Outcome"] = "s1=confirmed; s2=waitlisted"
    return msg


@settings(max_examples=40, deadline=None)
@given(text=words, html=words, name=words, subject=words, refs=st.integers(0, 30),
       ics=st.binary(max_size=300))
def test_composed_mail_is_written_as_the_generator_writes_it(
        text: str, html: str, name: str, subject: str, refs: int, ics: bytes) -> None:
    msg = composed(text, html, name, subject, refs, ics)
    assert mime.flatten(msg, MAIL_POLICY) == msg.as_bytes(policy=MAIL_POLICY)


def test_a_message_outside_the_composed_shape_goes_to_the_generator() -> None:
    msg = MIMEMultipart("mixed")  # no boundary chosen yet: the generator picks one
    msg.preamble = "This is a multi-part message."
    msg.attach(MIMEText("hello", "plain"))
    flat = mime.flatten(msg, MAIL_POLICY)
    assert flat.startswith(b"Content-Type: multipart/mixed; boundary=")
    assert b"This is a multi-part message.\r\n--" in flat
