"""Calendar responses as Outlook/Exchange, Google, Apple iCloud and Thunderbird send them."""

from __future__ import annotations

import base64
import email.utils
import itertools
from datetime import UTC, datetime

_ids = itertools.count(1)
_STAMP = "20270301T090000Z"

OUTLOOK_TZ = """BEGIN:VTIMEZONE\r
TZID:GMT Standard Time\r
BEGIN:STANDARD\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0000\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T010000\r
TZOFFSETFROM:+0000\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
"""


def _fold(line: str) -> str:
    """RFC 5545 folding at 75 octets (ASCII lines here)."""
    out = [line[:75]]
    rest = line[75:]
    while rest:
        out.append(" " + rest[:74])
        rest = rest[74:]
    return "\r\n".join(out)


def vcalendar(*, method: str, uid: str, attendee: str, partstat: str, sequence: int = 0,
              prodid: str = "-//Test//EN", comment: str = "", tz: str = "",
              attendee_params: str = "", name: str = "", dtstart: str = "20270330T100000",
              tzid: str = "Europe/London", method_line: bool = True,
              organizer: str = "registrations@lupc.example",
              recurrence_id: str = "") -> str:
    cn = f';CN="{name}"' if name else ""
    lines = ["BEGIN:VCALENDAR", f"PRODID:{prodid}", "VERSION:2.0"]
    if method_line:
        lines.append(f"METHOD:{method}")
    body = "\r\n".join(lines) + "\r\n" + tz
    event = ["BEGIN:VEVENT",
             f"ATTENDEE;PARTSTAT={partstat}{cn}{attendee_params}:mailto:{attendee}",
             f"ORGANIZER:mailto:{organizer}", f"UID:{uid}", f"SEQUENCE:{sequence}",
             f"DTSTAMP:{_STAMP}", f"DTSTART;TZID={tzid}:{dtstart}",
             f"DTEND;TZID={tzid}:{dtstart[:9]}113000", "SUMMARY:Construction"]
    if recurrence_id:
        event.append(f"RECURRENCE-ID;TZID={tzid}:{recurrence_id}")
    if comment:
        event.append("COMMENT:" + comment.replace(",", "\\,"))
    event.append("END:VEVENT")
    return body + "\r\n".join(_fold(x) for x in event) + "\r\nEND:VCALENDAR\r\n"


_WORD = {"DECLINED": "Declined", "ACCEPTED": "Accepted", "TENTATIVE": "Tentative",
         "COUNTER": "New Time Proposed"}


def _headers(sender: str, name: str, subject: str, extra: str = "") -> str:
    n = next(_ids)
    return (f"From: {name} <{sender}>\r\nTo: registrations@lupc.example\r\n"
            f"Subject: {subject}\r\n"
            f"Date: {email.utils.format_datetime(datetime.now(UTC))}\r\n"
            f"Message-ID: <cal-{n}-{abs(hash(subject)) % 10**8}@{sender.split('@')[1]}>\r\n"
            f"MIME-Version: 1.0\r\n{extra}")


def outlook(uid: str, sender: str, partstat: str, *, title: str = "Construction",
            sequence: int = 0, encoding: str = "base64", comment: str = "",
            name: str = "Ngozi Okafor", attendee: str = "", auth: str = "") -> bytes:
    """Exchange Online: Windows zone names, multipart/alternative with an empty text part."""
    method = "COUNTER" if partstat == "COUNTER" else "REPLY"
    cal = vcalendar(method=method, uid=uid, attendee=attendee or sender,
                    partstat="TENTATIVE" if partstat == "COUNTER" else partstat,
                    sequence=sequence, name=name, comment=comment, tz=OUTLOOK_TZ,
                    tzid="GMT Standard Time",
                    prodid="-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
                    dtstart="20270331T140000" if partstat == "COUNTER" else "20270330T100000")
    if encoding == "base64":
        payload = base64.encodebytes(cal.encode()).decode().replace("\n", "\r\n")
    else:
        payload = cal
    subject = f"{_WORD[partstat]}: {title}"
    boundary = "_000_DB9PR01MB0001outlook_"
    extra = (auth + "Thread-Topic: Construction\r\nX-MS-Has-Attach:\r\n"
             "X-MS-TNEF-Correlator:\r\nX-MS-Exchange-Organization-SCL: -1\r\n"
             f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n')
    return (_headers(sender, name, subject, extra) + "\r\n"
            f"--{boundary}\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n\r\n"
            f"--{boundary}\r\nContent-Type: text/calendar; charset=\"utf-8\"; method={method}\r\n"
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n{payload}\r\n"
            f"--{boundary}--\r\n").encode()


def google(uid: str, sender: str, partstat: str, *, title: str = "Construction",
           sequence: int = 0, comment: str = "", name: str = "Tom Reyes") -> bytes:
    """Google Calendar: multipart/mixed, alternative with text/calendar, plus invite.ics."""
    note = comment.replace(",", "\\,")
    params = f';X-RESPONSE-COMMENT="{note}"' if comment else ""
    cal = vcalendar(method="REPLY", uid=uid, attendee=sender, partstat=partstat,
                    sequence=sequence, name=name, attendee_params=params, comment=comment,
                    prodid="-//Google Inc//Google Calendar 70.9054//EN", tzid="Europe/London")
    b64 = base64.encodebytes(cal.encode()).decode().replace("\n", "\r\n")
    word = _WORD[partstat]
    subject = f"{word}: {title} @ Tue 30 Mar 2027 10:00 - 11:30 (BST) ({sender})"
    extra = 'Content-Type: multipart/mixed; boundary="000000000000mixed"\r\n'
    said = f'{name} has {word.lower()} this invitation with a note:\r\n"{comment}"' if comment \
        else f"{name} has {word.lower()} this invitation."
    return (_headers(sender, name, subject, extra) + "\r\n"
            "--000000000000mixed\r\n"
            'Content-Type: multipart/alternative; boundary="000000000000alt"\r\n\r\n'
            "--000000000000alt\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n\r\n"
            f"{said}\r\n\r\n"
            "--000000000000alt\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n\r\n"
            f"<p>{said}</p>\r\n\r\n"
            "--000000000000alt\r\nContent-Type: text/calendar; charset=\"UTF-8\"; method=REPLY\r\n"
            "Content-Transfer-Encoding: 7bit\r\n\r\n"
            f"{cal}\r\n--000000000000alt--\r\n"
            "--000000000000mixed\r\n"
            'Content-Type: application/ics; name="invite.ics"\r\n'
            'Content-Disposition: attachment; filename="invite.ics"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
            f"{b64}\r\n--000000000000mixed--\r\n").encode()


def icloud(uid: str, sender: str, partstat: str, *, title: str = "Construction",
           sequence: int = 0, name: str = "Priya Shah") -> bytes:
    """Apple iCloud: the part says only text/calendar; METHOD:REPLY is inside the body."""
    cal = vcalendar(method="REPLY", uid=uid, attendee=sender, partstat=partstat,
                    sequence=sequence, name=name,
                    prodid="-//Apple Inc.//iPhone OS 17.4//EN")
    subject = f"Invitation: {title} ({_WORD[partstat]})"
    extra = ('Content-Type: multipart/mixed; boundary="Apple-Mail=_1"\r\n')
    qp = cal.replace("=", "=3D")
    return (_headers(sender, name, subject, extra) + "\r\n"
            "--Apple-Mail=_1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
            f"{name} has {_WORD[partstat].lower()} your event.\r\n"
            "--Apple-Mail=_1\r\nContent-Type: text/calendar; charset=utf-8\r\n"
            'Content-Disposition: attachment; filename="iCal-20270301.ics"\r\n'
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            f"{qp}\r\n--Apple-Mail=_1--\r\n").encode()


def thunderbird(uid: str, sender: str, partstat: str, *, title: str = "Construction",
                sequence: int = 0, name: str = "Sam Lee", charset: str = "UTF-8") -> bytes:
    """Thunderbird: alternative text + text/calendar; method=REPLY, and invite.ics attached."""
    cal = vcalendar(method="REPLY", uid=uid, attendee=sender, partstat=partstat,
                    sequence=sequence, name=name,
                    prodid="-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN")
    b64 = base64.encodebytes(cal.encode()).decode().replace("\n", "\r\n")
    subject = f"{_WORD[partstat]}: {title}"
    extra = 'Content-Type: multipart/mixed; boundary="------------tb1"\r\n'
    return (_headers(sender, name, subject, extra) + "\r\n"
            "--------------tb1\r\n"
            'Content-Type: multipart/alternative; boundary="------------tb2"\r\n\r\n'
            "--------------tb2\r\n"
            f"Content-Type: text/plain; charset={charset}; format=flowed\r\n\r\n"
            f"{name} has {_WORD[partstat].lower()} your event invitation.\r\n\r\n"
            "--------------tb2\r\n"
            f"Content-Type: text/calendar; charset={charset}; method=REPLY\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n"
            f"{b64}\r\n--------------tb2--\r\n\r\n"
            "--------------tb1\r\n"
            'Content-Type: application/ics; name="invite.ics"\r\n'
            'Content-Disposition: attachment; filename="invite.ics"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
            f"{b64}\r\n--------------tb1--\r\n").encode()
