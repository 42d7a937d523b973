"""Spoofed cancellations through Desk.handle: only our own server's Authentication-Results count."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from mailflow.app import build_desk
from mailflow.handle import Desk
from mailflow.store import HandledMessage, OutboxRow, PlaceRow, unit_of_work

from support import mail, write_config

TRUSTED = "mx.lupc.example"
NGOZI = "ngozi.okafor@camden-council.example"
FAIL = f"{TRUSTED}; dkim=none; spf=softfail smtp.mailfrom=camden-council.example; " \
       "dmarc=fail (p=reject dis=none) header.from=camden-council.example"
PASS = f"{TRUSTED}; dkim=pass header.d=camden-council.example; " \
       "dmarc=pass header.from=camden-council.example"


def make_desk(tmp_path: Path, trusted: str = TRUSTED) -> Desk:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                       extra_mailbox=f'trusted_authserv_id = "{trusted}"' if trusted else "")
    return build_desk(rig.settings())


def status(desk: Desk, email: str, event_id: str = "food") -> str:
    with unit_of_work(desk.engine) as uow:
        row = uow.session.exec(select(PlaceRow).where(
            PlaceRow.email == email, PlaceRow.event_id == event_id)).first()
        return row.status if row is not None else "none"


def register(desk: Desk, email: str = NGOZI) -> None:
    desk.handle(mail(email, "Food", "Please register me for the food webinar."))
    assert status(desk, email) == "confirmed"


def cancel(*results: str, sender: str = NGOZI) -> bytes:
    # Receiving servers prepend their results, so they come first, as in real mail.
    headers = {"Authentication-Results": results[0]} if results else {}
    raw = mail(sender, "Food", "Please cancel my place on the food webinar, I can't make it.",
               headers=headers)
    extra = b"".join(f"Authentication-Results: {r}\r\n".encode() for r in results[1:])
    return extra + raw


def test_cancellation_failing_dmarc_is_flagged_and_the_place_kept(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    register(desk)

    result = desk.handle(cancel(FAIL))

    assert status(desk, NGOZI) == "confirmed"
    assert (result.disposition, result.outcome, result.folder) == (
        "attention", "unclear", "attention")
    assert "authentication failed" in result.reason
    with unit_of_work(desk.engine) as uow:
        row = uow.session.exec(select(HandledMessage).where(
            HandledMessage.message_id == result.message_id)).one()
        assert row.needs_attention
        # The real member is told the coordinator will look, in the thread the forger used.
        outcomes = [r.outcome for r in uow.session.exec(select(OutboxRow)).all()]
        assert outcomes == ["food=confirmed", "unclear"]


def test_cancellation_passing_dmarc_is_applied(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    register(desk)
    result = desk.handle(cancel(PASS))
    assert result.outcome == "food=cancelled"
    assert status(desk, NGOZI) == "cancelled"


def test_registration_failing_dmarc_still_proceeds(tmp_path: Path) -> None:
    # A forged registration costs the member nothing they did not want; a forged
    # cancellation would take their place, so only that is protected.
    desk = make_desk(tmp_path)
    result = desk.handle(mail(NGOZI, "Food", "Please register me for the food webinar.",
                              headers={"Authentication-Results": FAIL}))
    assert result.outcome == "food=confirmed"


def test_results_from_another_server_are_ignored(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    register(desk)
    register(desk, "tom.reilly@camden-council.example")
    elsewhere_fail = FAIL.replace(TRUSTED, "mx.elsewhere.example")
    forged_pass = PASS.replace(TRUSTED, "mx.elsewhere.example")

    # Someone else's fail does not block the real member...
    applied = desk.handle(cancel(elsewhere_fail))
    # ...and a forged pass beside our own server's fail does not rescue a spoof.
    blocked = desk.handle(cancel(forged_pass, FAIL, sender="tom.reilly@camden-council.example"))

    assert applied.outcome == "food=cancelled" and status(desk, NGOZI) == "cancelled"
    assert blocked.outcome == "unclear"
    assert status(desk, "tom.reilly@camden-council.example") == "confirmed"


def test_a_results_header_naming_us_cannot_be_added_below_ours(tmp_path: Path) -> None:
    # Both headers carry our id: a pass a forger added cannot outvote our server's fail.
    desk = make_desk(tmp_path)
    register(desk)
    result = desk.handle(cancel(FAIL, PASS))
    assert result.outcome == "unclear" and status(desk, NGOZI) == "confirmed"


def test_without_a_trusted_server_no_results_are_believed(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, trusted="")
    register(desk)
    result = desk.handle(cancel(FAIL))
    assert result.outcome == "food=cancelled"


def test_an_encoded_display_name_cannot_pose_as_the_member(tmp_path: Path) -> None:
    # DMARC passes for the attacker's own domain; the address mailflow believes must be the
    # same one DMARC checked, not one decoded out of the display name.
    desk = make_desk(tmp_path)
    register(desk)
    raw = (b"From: =?utf-8?Q?Ngozi_<ngozi.okafor@camden-council.example>?= "
           b"<attacker@attacker.example>\r\n"
           b"Authentication-Results: mx.lupc.example; dmarc=pass header.from=attacker.example\r\n"
           b"Subject: Food\r\nMessage-ID: <spoof@attacker.example>\r\n\r\n"
           b"Please cancel my place on the food webinar.\r\n")

    result = desk.handle(raw)

    assert status(desk, NGOZI) == "confirmed"
    assert result.outcome in ("not-eligible", "unclear")
    with unit_of_work(desk.engine) as uow:
        recipients = {r.recipient for r in uow.session.exec(select(OutboxRow)).all()}
    assert recipients <= {NGOZI, "attacker@attacker.example"}
