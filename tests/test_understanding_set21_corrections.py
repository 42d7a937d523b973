"""A mail that takes back part of itself, or an earlier mail, and then says plainly what it
wants: the part taken back is dropped and the request stated stands (corrections.py). Where it
is unclear what stands, the desk asks."""

from __future__ import annotations

from test_understanding_classes import DEFAULT_NOW, at_the_desk, confident

from mailflow.model import Intent

NOW = DEFAULT_NOW


# "Ignore that ... I meant X, not Y": what is meant, said after the mark, is the request.

def test_retraction_then_i_meant_books_only_the_session_meant() -> None:
    got = at_the_desk(
        "Please book me on the 10 December webinar.\n\nSorry - ignore that, I've just re-read "
        "the programme - I meant the textiles webinar on 24 September, not December. Just the "
        "September one please.\n\nThanks,\nJo", NOW,
    )
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert any(e.startswith("applies the correction") for e in got.evidence)


def test_retraction_then_i_meant_one_more_still_asks() -> None:
    # (control: "I meant ... as well" adds a session; it does not replace one)
    got = at_the_desk(
        "Please book me on the furniture webinar.\n\nSorry - ignore that, I meant the "
        "textiles webinar as well.\n\nThanks,\nJo", NOW,
    )
    assert not confident(got, Intent.REGISTER, "textiles-2025")


# "Scratch that ... cancel that one instead and leave me on X": the place kept is not asked for.

def test_retracted_cancel_keeps_the_place_and_cancels_the_one_named_instead() -> None:
    got = at_the_desk(
        "Please cancel my place on the food webinar.\n\nActually no - scratch that, I've "
        "checked my diary and June is fine. It's the textiles webinar I can't do. Please "
        "cancel that one instead and leave me on food.\n\nSorry!\nJo", NOW,
    )
    assert confident(got, Intent.CANCEL, "textiles-2025")


def test_retracted_cancel_naming_two_places_after_the_mark_asks() -> None:
    # (control: two places given up after the mark, none kept: which the member means is
    # not one session asked again, and the desk asks)
    got = at_the_desk(
        "Please cancel my place on the food webinar.\n\nActually no - scratch that, it's the "
        "textiles webinar and the furniture one I can't do. Please cancel those instead.\n\n"
        "Jo", NOW,
    )
    assert got.is_unclear


# "Correction to my email this morning: I meant X, not Y": the earlier mail's place may be booked
# already (two changes), so the desk asks; the same correction within one mail is applied.

def test_correction_of_an_earlier_mail_asks() -> None:
    got = at_the_desk(
        "Correction to my email this morning: I meant the furniture webinar, not textiles - "
        "please book me on furniture and ignore the textiles request. Sorry!\n\nJo", NOW,
    )
    assert got.intent is Intent.REGISTER and got.is_unclear
    # (Asked before the rule too, as a correction of this mail: the reason pins the rule.)
    assert got.reason.startswith("corrects an earlier mail, whose place may be booked already")


def test_the_same_correction_within_one_mail_is_applied() -> None:
    # (control: the request corrected is in this mail, so nothing may be booked already)
    got = at_the_desk(
        "Please book me on the textiles webinar.\n\nSorry - ignore that, I meant the "
        "furniture webinar on 10 December. Just furniture please.\n\nJo", NOW,
    )
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_earlier_cancellation_taken_back_still_asks() -> None:
    # (undoing an earlier cancellation may need the place back: the coordinator's)
    got = at_the_desk(
        "Correction: please ignore my previous email asking to cancel - I meant the furniture "
        "webinar, not textiles.\n\nJo", NOW,
    )
    assert got.is_unclear


def test_correction_of_an_earlier_mail_says_its_place_may_be_booked() -> None:
    got = at_the_desk(
        "Correction to my email this morning: I meant the furniture webinar, not textiles - "
        "please book me on furniture.\n\nJo", NOW,
    )
    assert got.reason.startswith("corrects an earlier mail, whose place may be booked already")


def test_a_correction_of_this_mails_request_is_no_earlier_mail() -> None:
    # (control: "correction" of the words just written, not of a mail before)
    got = at_the_desk(
        "Please book me on the textiles webinar.\n\nCorrection: I meant the furniture "
        "webinar, not textiles.\n\nJo", NOW,
    )
    assert confident(got, Intent.REGISTER, "furniture-2025")


# "Sorry, wrong one - textiles please": the session asked for is taken back, the one named stands.

def test_sorry_wrong_one_then_a_session_books_only_that_session() -> None:
    got = at_the_desk("Please book me on the food webinar.\n\nSorry, wrong one! Textiles "
                      "please.\n\nJo", NOW)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_wrong_webinar_in_the_asking_words_books_the_one_named_after() -> None:
    got = at_the_desk("Please book me on the food webinar - sorry, wrong webinar, the textiles "
                      "one please.\n\nJo", NOW)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_sorry_wrong_one_naming_nothing_after_asks() -> None:
    # (control: something is taken back, nothing stated in its place)
    got = at_the_desk("Please book me on the food webinar.\n\nSorry, wrong one.\n\nJo", NOW)
    assert got.is_unclear


def test_the_wrong_one_in_a_story_takes_nothing_back() -> None:
    # (control: no apology, no correction: "I went to the wrong one last year")
    got = at_the_desk("Please book me on the food webinar. I went to the wrong one last "
                      "year.\n\nJo", NOW)
    assert confident(got, Intent.REGISTER, "food-2025")
