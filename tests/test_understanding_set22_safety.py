"""Round 22, safety: four wrong seat changes on fresh20 as classes, each with a control."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import CONFIDENT, SEAT_CHANGING, Intent, Request

MAY = datetime(2025, 5, 2, 12, tzinfo=UTC)
MARCH = datetime(2025, 3, 3, 12, tzinfo=UTC)


def no_confident_change(request: Request) -> bool:
    return not (request.intent in SEAT_CHANGING and not request.is_unclear
                and request.confidence >= CONFIDENT)


# A booking already made, told ("I've been booked onto ... by my director"), asks for none.

def test_a_booking_already_made_is_told_not_asked_for() -> None:
    got = at_the_desk("I've been booked onto the evidence skills workshop on 28 May by my "
                      "director. Could you tell me whether it's online or in person?", MAY)
    assert got.intent is Intent.QUESTION


def test_been_registered_by_a_manager_is_a_statement() -> None:
    for text in ("I have been registered for the food webinar by my manager. Will there be "
                 "slides?", "We've been signed up for the food webinar. What time does it "
                 "start?", "Have I been added to the food webinar?"):
        assert no_confident_change(at_the_desk(text, MAY)), text


def test_control_asking_to_be_booked_still_books() -> None:
    got = at_the_desk("Can I be booked on the evidence skills workshop on 28 May?", MAY)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_control_a_booking_told_then_a_request_of_its_own() -> None:
    got = at_the_desk("I've been booked onto the food webinar by my manager but I can't make "
                      "it, please cancel my place.", MAY)
    assert confident(got, Intent.CANCEL, "food-2025")


# What the sender tells of their work before the dash names no session asked for.

LOGISTICS_MONTH = datetime(2025, 3, 18, 12, tzinfo=UTC)


def test_work_told_before_the_dash_is_background() -> None:
    got = at_the_desk("I'm looking after our catering stores and the estates warehouse contract "
                      "this year - could I get a place on the warehouse/freight one?",
                      LOGISTICS_MONTH)
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_work_told_before_a_semicolon_is_background() -> None:
    for text in ("We buy a lot of furniture; could you register me for the food webinar?",
                 "I manage our catering contract - please book me on the logistics webinar."):
        got = at_the_desk(text, LOGISTICS_MONTH)
        assert len(got.event_ids) == 1, text


def test_control_sessions_asked_for_on_both_sides_of_the_dash() -> None:
    got = at_the_desk("I'm on the food webinar already - could you add me to textiles too?",
                      LOGISTICS_MONTH)
    assert confident(got, Intent.REGISTER, "textiles-2025")
    got = at_the_desk("I look after catering and furniture - please book me on both.",
                      LOGISTICS_MONTH)
    assert confident(got, Intent.REGISTER, "food-2025", "furniture-2025")


# "Cancel future emails", "cancel anytime": mail or a subscription given up, no place.

SPAMMER = "ryan@rank-boost-pro.example"
AUGUST = datetime(2025, 8, 20, 8, tzinfo=UTC)


def test_cancel_future_emails_gives_up_no_place() -> None:
    got = at_the_desk("Hi there,\n\nI noticed your textiles webinar isn't ranking for key terms. "
                      "We help organisations\nregister 300% more attendees. Book a free call "
                      "here: https://rank-boost-pro.example/cal\n\nReply STOP to cancel future "
                      "emails.\n\nRyan", AUGUST, sender=SPAMMER)
    assert no_confident_change(got)


def test_cancel_anytime_or_reminder_emails_gives_up_no_place() -> None:
    for text, sender in (
        ("Register your attendees faster with our platform. Cancel anytime. Textiles, food, any "
         "event!", SPAMMER),
        ("Hi, I'd like to cancel the reminder emails for the textiles webinar but keep my place.",
         "jo.bloggs@camden-council.example"),
    ):
        assert no_confident_change(at_the_desk(text, AUGUST, sender=sender)), text


def test_control_cancel_the_place_and_the_emails() -> None:
    got = at_the_desk("Please cancel my place and any further emails about the textiles webinar.",
                      AUGUST)
    assert confident(got, Intent.CANCEL, "textiles-2025")
    got = at_the_desk("Please cancel the textiles webinar for me.", AUGUST)
    assert confident(got, Intent.CANCEL, "textiles-2025")


# A later "just the X one then" keeps one of the sessions asked for and lets the rest go.

def test_just_the_one_then_replaces_both_asked_before() -> None:
    got = at_the_desk("Hi, could you book me on both evidence workshops? Wait, sorry, I've just "
                      "checked and I'm on leave end of May. Just the autumn one then please.",
                      MARCH)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")
    got = at_the_desk("Book me on food and textiles please. Just the food one then, thanks.",
                      MARCH)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_just_another_one_then_or_for_someone_else_makes_the_desk_ask() -> None:
    for text in ("Please book me on food. Just the textiles one then.",
                 "Please book me on both evidence workshops. Just the autumn one for my "
                 "colleague then.",
                 "Please put me down for the May and October evidence workshops. So just "
                 "October then - thanks!"):
        assert no_confident_change(at_the_desk(text, MARCH)), text


def test_control_both_asked_and_a_question_after_books_both() -> None:
    got = at_the_desk("Could you book me on both evidence workshops? Just checking, is the "
                      "autumn one online?", MARCH)
    assert set(got.event_ids) == {"evidence-skills-may-2025", "evidence-skills-oct-2025"}


def test_work_told_before_a_comma_colon_or_so_is_background() -> None:
    for text, meant in (
        ("As the person who runs our catering, I'd like to book the logistics webinar.",
         "logistics-2025"),
        ("Since I also look after textiles, please book me on the furniture one.",
         "furniture-2025"),
        ("I'm responsible for catering and furniture this year, so could you book me on the "
         "logistics webinar?", "logistics-2025"),
        ("I cover catering, textiles and furniture: please book me on the logistics webinar.",
         "logistics-2025"),
    ):
        assert confident(at_the_desk(text, LOGISTICS_MONTH), Intent.REGISTER, meant), text


def test_control_a_session_told_then_one_more_asked_keeps_both() -> None:
    got = at_the_desk("I'm free for the food one, please book me on textiles too.",
                      LOGISTICS_MONTH)
    assert set(got.event_ids) == {"food-2025", "textiles-2025"}
    got = at_the_desk("As discussed, please book me on food and textiles.", LOGISTICS_MONTH)
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025")


def test_a_booking_someone_else_made_is_told() -> None:
    got = at_the_desk("My line manager put me down for the food webinar. Is there a recording "
                      "afterwards?", MAY)
    assert no_confident_change(got)


def test_control_asking_whether_a_manager_may_book_or_a_request_after_a_manager() -> None:
    got = at_the_desk("My manager asked me to write: please put me down for the food webinar.",
                      MAY)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_a_pitch_for_more_registrations_books_nothing() -> None:
    got = at_the_desk("Want more registrations for your food webinar? Book a call. Opt out: "
                      "reply REMOVE.", AUGUST, sender="news@promo-tools.example")
    assert no_confident_change(got)


def test_only_or_just_with_a_change_of_mind_keeps_those_it_names() -> None:
    for text, meant in (
        ("Please book me on food and textiles. On reflection, only the food one please.",
         ("food-2025",)),
        ("Please book me on food and textiles. Forget textiles, just food then.", ("food-2025",)),
        ("Could you book me on food and textiles? Thinking about it, just food.", ("food-2025",)),
        ("Please book me on food, textiles and furniture. Just the food and furniture ones then.",
         ("food-2025", "furniture-2025")),
    ):
        assert confident(at_the_desk(text, MARCH), Intent.REGISTER, *meant), text


def test_only_another_session_after_a_change_of_mind_makes_the_desk_ask() -> None:
    assert no_confident_change(at_the_desk("Please book me on food. Actually, only textiles.",
                                           MARCH))


def test_control_just_to_say_keeps_the_request() -> None:
    got = at_the_desk("Please book me on food and textiles. Actually just to say I'm "
                      "vegetarian.", MARCH)
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025")
