"""Composing replies and notices: threading, RFC 3834 markers, safe headers, template wording."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from mailflow.decide import Decision
from mailflow.model import EventInfo
from mailflow.parse import parse_message
from mailflow.reply import Composer, Letterhead, Templates, default_templates_dir, reply_subject
from mailflow.seats import Notice

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
FOOD = EventInfo(id="food", title="Food (including frozen imported seafood)", format="webinar",
                 starts=datetime(2027, 6, 25, 10, 0, tzinfo=LONDON),
                 ends=datetime(2027, 6, 25, 11, 30, tzinfo=LONDON), capacity=15,
                 registration_closes=datetime(2027, 6, 18, 0, 0, tzinfo=LONDON))


def composer(templates_dir: Path | None = None) -> Composer:
    tokens = (f"t{n}" for n in range(1000))
    head = Letterhead(from_address="registrations@lupc.example", coordinator_name="Suzanne Picken",
                      coordinator_email="suzanne@lupc.example", timezone=LONDON, hold_hours=48,
                      events={"food": FOOD})
    return Composer(Templates(templates_dir or default_templates_dir(), LONDON), head,
                    new_token=lambda: next(tokens))


def request(sender: str = "Ngozi Okafor <ngozi@camden-council.example>",
            subject: str = "Food webinar", message_id: str = "<req-1@camden.example>") -> bytes:
    return (f"From: {sender}\r\nTo: registrations@lupc.example\r\nSubject: {subject}\r\n"
            f"Message-ID: {message_id}\r\nReferences: <older@camden.example>\r\n\r\n"
            "Please book me onto the food webinar.\r\n").encode()


def parsed(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def confirmed(email_: str = "ngozi@camden-council.example") -> Decision:
    return Decision(reply=(Notice("confirmed", "food", email_, "Ngozi Okafor"),))


def test_reply_threads_under_the_request_and_is_marked_auto_replied() -> None:
    mail = parse_message(request())
    out = composer().reply(mail, confirmed(), NOW)
    assert out is not None
    msg = parsed(out.raw)
    assert msg["To"] == "Ngozi Okafor <ngozi@camden-council.example>"
    assert msg["Subject"] == "Re: Food webinar"
    assert msg["In-Reply-To"] == "<req-1@camden.example>"
    assert msg["References"] == "<older@camden.example> <req-1@camden.example>"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["X-Mailflow-Outcome"] == "food=confirmed"
    assert msg["Message-ID"] == "<mailflow.t0@lupc.example>"
    text = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert text.startswith("Dear Ngozi,")
    assert "Friday 25 June 2027, 10:00–11:30" in text
    assert "Suzanne Picken" in text


def test_reply_subject_does_not_stack_re_prefixes() -> None:
    assert reply_subject("RE: Re: Food webinar") == "Re: Food webinar"
    assert reply_subject("", "Knowledge Building Series") == "Re: Knowledge Building Series"
    assert reply_subject("") == "Re: your registration"


def test_long_message_id_stays_on_one_line() -> None:
    long_id = "<" + "A" * 150 + "@eurprd07.prod.outlook.com>"
    out = composer().reply(parse_message(request(message_id=long_id)), confirmed(), NOW)
    assert out is not None
    head = out.raw.split(b"\r\n\r\n", 1)[0]
    assert b"In-Reply-To: " + long_id.encode() + b"\r\n" in head


def test_offer_notice_is_auto_generated_and_says_how_long_it_is_held() -> None:
    expires = NOW + timedelta(hours=48)
    notice = Notice("offered", "food", "priya@westbury.ac.example", "Priya Shah",
                    offer_expires=expires)
    out = composer().notice(notice, NOW)
    msg = parsed(out.raw)
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-Mailflow-Outcome"] == "food=offered"
    assert msg["In-Reply-To"] is None
    assert out.kind == "offer" and out.event_ids == ("food",)
    text = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "09:00 on Thursday 7 January 2027" in text  # the hold, in London time
    assert "reply “yes”" in text


def test_hostile_display_name_cannot_inject_headers_or_markup() -> None:
    sender = ("=?utf-8?q?Eve=0D=0ABcc=3A_all=40example=2Ecom_=3Cscript=3E?= "
              "<eve@camden-council.example>")
    mail = parse_message(request(sender=sender, subject="Food\r\n webinar"))
    decision = Decision(reply=(Notice("confirmed", "food", mail.sender, mail.sender_name),))
    out = composer().reply(mail, decision, NOW)
    assert out is not None
    msg = parsed(out.raw)
    assert msg["Bcc"] is None
    assert all("\n" not in str(v) and "\r" not in str(v) for v in msg.values())
    html = msg.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html


def test_changing_wording_needs_no_code_change(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), templates)
    (templates / "outcome" / "confirmed.txt.j2").write_text(
        "Splendid — see you at {{ event.title }}!", encoding="utf-8")
    out = composer(templates).reply(parse_message(request()), confirmed(), NOW)
    assert out is not None
    text = parsed(out.raw).get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Splendid — see you at Food (including frozen imported seafood)!" in text


def test_wording_may_use_jinjas_own_helpers_and_its_values_win_over_them(
        tmp_path: Path) -> None:
    # A template's context starts from a copy of Jinja's globals (range, namespace, ...):
    # they must still be there, letter after letter, and a value passed in still wins.
    templates = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), templates)
    (templates / "outcome" / "confirmed.txt.j2").write_text(
        "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}"
        "{% endfor %}Sum {{ ns.n }} for {{ event.title }}, {{ you }}.", encoding="utf-8")
    c = composer(templates)
    for _ in range(2):
        out = c.reply(parse_message(request()), confirmed(), NOW)
        assert out is not None
        text = parsed(out.raw).get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        assert "Sum 3 for Food (including frozen imported seafood), True." in text
    shadow = Templates(templates, LONDON)
    shadow.text.globals["event"] = "a global"
    assert shadow.render("outcome/confirmed.txt.j2", False, event=FOOD, you=False).endswith(
        "for Food (including frozen imported seafood), False.")


def test_a_running_desk_uses_wording_edited_or_added_since_its_last_letter(
        tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), templates)
    os.utime(templates / "outcome", ns=(10**18, 10**18))  # still since 2001: lookups remembered
    c = composer(templates)

    def bodies() -> tuple[str, str]:
        out = c.reply(parse_message(request()), confirmed(), NOW)
        assert out is not None
        msg = parsed(out.raw)
        return tuple(msg.get_body(preferencelist=(kind,)).get_content()  # type: ignore[return-value, union-attr]
                     for kind in ("plain", "html"))

    assert "You have a place" in bodies()[1]
    (templates / "outcome" / "confirmed.txt.j2").write_text("Edited: {{ event.title }}.",
                                                          encoding="utf-8")
    os.utime(templates / "outcome" / "confirmed.txt.j2", ns=(1, 1))  # a new mtime for jinja
    assert "Edited: Food" in bodies()[0]
    (templates / "outcome" / "confirmed.html.j2").write_text("<b>{{ event.title }}</b>",
                                                           encoding="utf-8")
    text, html = bodies()
    assert "<b>Food (including frozen imported seafood)</b>" in html
    assert "Edited: Food" in text


def test_every_outcome_has_wording() -> None:
    outcomes = ["confirmed", "waitlisted", "already-registered", "already-waitlisted",
                "cancelled", "not-registered", "deadline-passed", "event-over", "offered",
                "offer-declined", "offer-expired", "substituted", "not-eligible", "unclear", "kept"]
    c = composer()
    for outcome in outcomes:
        decision = Decision(reply=(Notice(outcome, "" if outcome in ("not-eligible", "unclear")
                                          else "food", "ngozi@camden-council.example",
                                          offer_expires=NOW, position=3),))
        out = c.reply(parse_message(request()), decision, NOW)
        assert out is not None, outcome
        text = parsed(out.raw).get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        assert len(text.split()) > 12, outcome


def test_associate_member_is_told_places_are_for_full_members_not_to_use_work_address() -> None:
    c = composer()

    def body(notice: Notice) -> str:
        out = c.reply(parse_message(request()), Decision(reply=(notice,)), NOW)
        assert out is not None
        return parsed(out.raw).get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    associate = body(Notice("not-eligible", "", "ngozi@camden-council.example", role="associate",
                            other_name="Riverside Housing Association"))
    assert "Riverside Housing Association, is an associate member" in associate
    assert "full member" in associate and "work address" not in associate
    stranger = body(Notice("not-eligible", "", "ngozi@camden-council.example"))
    assert "could not match your email address" in stranger and "reply from your work" in stranger


def test_confirmation_gives_the_join_link_instead_of_promising_details_later() -> None:
    import dataclasses

    def body(event: EventInfo) -> str:
        decision = Decision(reply=(Notice("confirmed", "food", "ngozi@camden-council.example",
                                          "Ngozi Okafor", session=event),))
        out = composer().reply(parse_message(request()), decision, NOW)
        assert out is not None
        return parsed(out.raw).get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    linked = body(dataclasses.replace(FOOD, join_url="https://meet.example/food"))
    assert "https://meet.example/food" in linked and "send the joining details" not in linked
    assert "send the joining details a couple of days before" in body(FOOD)
