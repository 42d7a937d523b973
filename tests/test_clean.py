"""Text cleaning: subject tags, quoted history per client, forwards, signatures, disclaimers."""

from __future__ import annotations

import pytest

from mailflow.clean import clean_body, clean_subject, display_name


@pytest.mark.parametrize(
    ("subject", "text", "reply", "forward"),
    [
        ("Re: Textiles", "Textiles", True, False),
        ("RE: FW: [External] Textiles", "Textiles", True, True),
        ("AW: WG: Textiles", "Textiles", True, True),
        ("[EXTERNAL] Fwd: Textiles webinar", "Textiles webinar", False, True),
        ("Re[2]: Textiles", "Textiles", True, False),
        ("Reply needed: textiles", "Reply needed: textiles", False, False),
    ],
)
def test_subject_tags_are_stripped(subject: str, text: str, reply: bool, forward: bool) -> None:
    cleaned = clean_subject(subject)
    assert (cleaned.text, cleaned.is_reply, cleaned.is_forward) == (text, reply, forward)


def test_gmail_wrapped_on_wrote_and_quotes_are_history() -> None:
    text = (
        "Yes please\n\nOn Mon, 6 Jan 2025 at 09:14, Desk <\n"
        "desk@lupc.example> wrote:\n\n> offer text\n"
    )
    cleaned = clean_body(text)
    assert cleaned.own == "Yes please"
    assert "offer text" in cleaned.quoted


def test_outlook_header_block_in_a_reply_is_history() -> None:
    text = (
        "Cancel please.\n\n________________________________\nFrom: Desk <desk@lupc.example>\n"
        "Sent: Monday, 06 January 2025 09:14\nTo: Jo\nSubject: You're booked\n\nYou're booked on"
        " food."
    )
    cleaned = clean_body(text)
    assert cleaned.own == "Cancel please."
    assert cleaned.forwarded == ()


def test_one_body_cleaned_as_a_reply_then_as_a_forward_reads_each_way() -> None:
    # Handling cleans a body twice (understanding, then the excerpt); a remembered reading
    # must be the one for the same question, not the other way of reading the same text.
    text = (
        "Please sort this for Priya below.\n\nFrom: Shah, Priya <priya@camden.example>\n"
        "Sent: 06 January 2025 09:12\nTo: Tom\nSubject: Textiles\n\nPlease book me."
    )
    as_reply = clean_body(text)
    as_forward = clean_body(text, forward=True)
    assert (as_reply.forwarded, as_reply.quoted.startswith("From: Shah")) == ((), True)
    assert [f.sender for f in as_forward.forwarded] == ["priya@camden.example"]
    assert clean_body(text, False) == as_reply
    assert clean_body(text, True) == as_forward


def test_original_message_separator_is_history() -> None:
    cleaned = clean_body(
        "No thanks\n\n-----Original Message-----\nFrom: Desk\nSent: today\n\nOffer"
    )
    assert cleaned.own == "No thanks"


def test_outlook_header_block_in_a_forward_is_the_forwarded_mail() -> None:
    text = (
        "Please sort this for Priya below.\n\nFrom: Shah, Priya"
        " <Priya.Shah@camden-council.example>\n"
        "Sent: 06 January 2025 09:12\nTo: Tom\nSubject: RE: Textiles webinar\n\nPlease book"
        " me.\n\nThanks, Priya"
    )
    cleaned = clean_body(text, forward=True)
    assert cleaned.own == "Please sort this for Priya below."
    (fwd,) = cleaned.forwarded
    assert (fwd.sender, fwd.sender_name, fwd.subject) == (
        "priya.shah@camden-council.example",
        "Priya Shah",
        "Textiles webinar",
    )
    assert fwd.text.startswith("Please book me.")


@pytest.mark.parametrize(
    "marker",
    [
        "---------- Forwarded message ---------",
        "Begin forwarded message:",
        "-------- Forwarded Message --------",
    ],
)
def test_forward_markers_keep_the_forwarded_mail_apart(marker: str) -> None:
    text = (
        f"FYI\n\n{marker}\nFrom: Dan Hughes <dan@camden-council.example>\n"
        "Subject: Food\nDate: today\n\nBook me"
    )
    cleaned = clean_body(text)
    assert cleaned.own == "FYI"
    assert cleaned.forwarded[0].sender == "dan@camden-council.example"
    assert cleaned.forwarded[0].text == "Book me"


def test_signature_closing_and_name_are_split_off() -> None:
    cleaned = clean_body(
        "Hi Suzanne,\n\nPlease book me on food.\n\nKind regards,\n\nJo Bloggs\nBuyer\nT: 020 7946"
        " 0000"
    )
    assert cleaned.own == "Please book me on food."
    assert cleaned.closing == "Kind regards,"
    assert cleaned.signature_name == "Jo Bloggs"


def test_dash_dash_signature_is_dropped() -> None:
    cleaned = clean_body("Book me on textiles\n-- \nJo Bloggs\nCategory Manager - Construction")
    assert cleaned.own == "Book me on textiles"
    assert cleaned.signature_name == "Jo Bloggs"


@pytest.mark.parametrize(
    "footer", ["Sent from my iPhone", "Get Outlook for iOS", "Sent from my Galaxy"]
)
def test_mobile_footers_are_dropped(footer: str) -> None:
    assert clean_body(f"Cancel my place\n\n{footer}").own == "Cancel my place"


def test_disclaimer_is_dropped() -> None:
    text = (
        "Book me on food.\n\nThis email and any attachments are confidential and intended solely"
        " for the "
        "addressee.\nIf you have received this email in error please delete it."
    )
    assert clean_body(text).own == "Book me on food."


def test_thanks_alone_is_kept_as_the_closing() -> None:
    cleaned = clean_body("Thanks!")
    assert cleaned.own == "" and cleaned.closing == "Thanks!"


def test_greeting_line_is_dropped_but_a_greeting_with_a_request_is_not() -> None:
    assert clean_body("Dear Sir/Madam,\nBook me on food.").own == "Book me on food."
    assert (
        clean_body("Hi Suzanne, please book me on food.").own
        == "Hi Suzanne, please book me on food."
    )


def test_html_conversion_artefacts_are_undone() -> None:
    cleaned = clean_body("Please add [sam@x.example](mailto:sam@x.example) \\- thanks")
    assert cleaned.own == "Please add sam@x.example - thanks"


def test_display_name_reorders_surname_first() -> None:
    assert display_name("Shah, Priya") == "Priya Shah"
    assert display_name('"Reed, Tom" <tom@x.example>') == "Tom Reed"
