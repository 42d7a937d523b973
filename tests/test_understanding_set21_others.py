"""A place the member's own words say is wanted by someone other than the sender ("it's my
colleague who wants the textiles one", "it's actually for my manager", "not for me but for my
deputy", "please cancel my colleague's place"): the sender's own place does not change. With
that person's address they are the one booked or cancelled; without it the desk asks
(others.py). Where the sender is coming as well, both are booked."""

from __future__ import annotations

from test_understanding_classes import DEFAULT_NOW, at_the_desk, confident, offered

from mailflow.model import Intent

NOW = DEFAULT_NOW
KIM = "kim.po@camden-council.example"
JO = "jo.bloggs@camden-council.example"


def booked(text: str) -> list[str]:
    return [p.email for p in at_the_desk(text, NOW).people]


# Said outright, whatever else the mail asks: someone else's place, no address -> ask.

def test_its_my_colleague_who_wants_it_after_a_correction_asks() -> None:
    got = at_the_desk("Please book me on food. Sorry, ignore that, I mean it's my colleague who "
                      "wants the textiles one.", NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear
    # (Asked before the rule too, as a correction: the reason pins it.)
    assert "for someone else" in got.reason


def test_correction_to_another_session_for_the_sender_still_books_them() -> None:
    # (control: the correction changes the session, not who comes)
    got = at_the_desk("Please book me on food. Sorry, ignore that, I mean the textiles one.", NOW)
    assert confident(got, Intent.REGISTER, "textiles-2025") and not got.people


def test_its_actually_for_my_manager_asks() -> None:
    got = at_the_desk("Could you book a place on the textiles webinar? It's actually for my "
                      "manager.", NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_its_for_my_own_development_books_the_sender() -> None:
    # (control: "for" someone's benefit who is the sender)
    got = at_the_desk("Please book me on textiles. It's actually for my own development.", NOW)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_not_for_me_but_for_my_deputy_asks() -> None:
    for text in ("Please book a place on the furniture webinar, not for me but for my deputy.",
                 "Booking for Sam not me - textiles webinar please.",
                 "Please book the textiles webinar. My colleague will be attending rather than me.",
                 "Please book the textiles webinar. It's my colleague who'll be attending, not me.",
                 "Please book textiles. To be clear, the place is for my colleague Priya, not "
                 "for me.",
                 "Please book a place on textiles. The attendee will be my colleague.",
                 "Please book a place on textiles. My colleague is the one who wants to go."):
        got = at_the_desk(text, NOW)
        assert got.intent is Intent.REGISTER and got.is_unclear, text


def test_for_me_not_my_colleague_books_the_sender() -> None:
    # (control: the sender says the place is theirs)
    for text in ("Please book me on food. It's for me, not my colleague.",
                 "Please register me for food; I'm the one attending, not my manager.",
                 "Please book me on textiles. My colleague told me about it.",
                 "Please book me onto the textiles webinar; it's my manager who suggested it."):
        got = at_the_desk(text, NOW)
        assert confident(got, Intent.REGISTER, *got.event_ids) and not got.people, text


# With that person's address: they are booked, the sender is not.

def test_place_for_a_colleague_with_an_address_books_only_the_colleague() -> None:
    assert booked("Could you book a place on the textiles webinar? It's actually for my "
                  f"manager, {KIM}.") == [KIM]
    assert booked(f"Can I book a place on the food webinar for a colleague? {KIM}") == [KIM]
    assert booked(f"Please book the food webinar. It's for my colleague Kim ({KIM}), "
                  "not me.") == [KIM]


def test_sender_coming_as_well_books_both() -> None:
    # (control: "me and my colleague", "for myself and a colleague", "and for myself")
    assert booked(f"Please book me and my colleague {KIM} on textiles.") == [JO, KIM]
    assert booked(f"Could I book a place on food for myself and a colleague ({KIM})?") == [JO, KIM]
    assert booked(f"I'd like to book the food webinar for a colleague, {KIM}, and for "
                  "myself.") == [JO, KIM]


def test_colleague_booked_with_the_sender_coming_too_books_both() -> None:
    # "I'll be joining too" beside the colleagues listed: the sender's place as well
    assert booked(f"Please book Kim ({KIM}) onto the food webinar. I'll be attending "
                  "too.") == [JO, KIM]


def test_colleague_booked_alone_books_only_the_colleague() -> None:
    # (control: nothing puts the sender among them)
    assert booked(f"Please book Kim ({KIM}) onto the food webinar.") == [KIM]


# Said where the mail asks nothing for the sender: on behalf of, booked for, not myself.

def test_writing_on_behalf_of_a_director_who_wants_to_attend_asks() -> None:
    got = at_the_desk("I'm writing on behalf of my director who would like to attend the food "
                      "webinar.", NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_writing_on_behalf_of_a_manager_who_sends_the_sender_books_the_sender() -> None:
    # (control: the sender books themselves, at their manager's wish)
    for text in ("I'm writing on behalf of my manager. Please book me on the food webinar as "
                 "she has asked me to attend.",
                 "My manager would like me to attend the food webinar - please book me.",
                 "Please book me on food for our team's benefit - I'll share notes."):
        got = at_the_desk(text, NOW)
        assert confident(got, Intent.REGISTER, "food-2025") and not got.people, text


def test_on_behalf_of_or_for_a_colleague_beside_the_request_asks() -> None:
    for text in ("Please book food - on behalf of my line manager.",
                 "Food webinar please, for my director.",
                 "Please book me on food. I'm booking on behalf of my colleague too, who'll "
                 "send details."):
        got = at_the_desk(text, NOW)
        assert got.intent is Intent.REGISTER and got.is_unclear, text


def test_on_behalf_of_someone_named_asks() -> None:
    got = at_the_desk("Hi, this is on behalf of Priya - food webinar please.", NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_thanks_on_behalf_of_the_team_books_the_sender() -> None:
    # (control: thanks said for others, or standing in for a manager: the place the sender's)
    for text in ("Please book me on food. Thanks on behalf of the whole team for running these!",
                 "Please book me on the food webinar; I'm covering for my manager while she's "
                 "on leave."):
        got = at_the_desk(text, NOW)
        assert confident(got, Intent.REGISTER, "food-2025") and not got.people, text


def test_i_wont_attend_myself_but_my_deputy_will_asks() -> None:
    got = at_the_desk("I won't attend myself but my deputy will - please book the food "
                      "webinar.", NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_place_on_a_session_for_someone_named_or_by_role_asks() -> None:
    for text in ("Please reserve a place on food for Sam.",
                 "Please put my manager down for textiles.",
                 "Please book a place on the furniture webinar for my team.",
                 "I'd like to book the textiles webinar for our new starter."):
        got = at_the_desk(text, NOW)
        assert got.intent is Intent.REGISTER and got.is_unclear, text


def test_a_place_on_a_session_for_a_day_books_the_sender() -> None:
    # (control: "for Thursday", "put me down")
    for text in ("Can I book a place on the food webinar for Thursday?",
                 "Please put me down for textiles."):
        got = at_the_desk(text, NOW)
        assert confident(got, Intent.REGISTER, *got.event_ids) and not got.people, text


def test_she_would_like_a_place_asks() -> None:
    got = at_the_desk("Hello, I'm the PA to our Director of Finance. She would like a place on "
                      "the food webinar.", NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


# An offer made to the sender, taken for someone else: the desk asks.

def test_taking_an_offer_for_someone_else_asks() -> None:
    for text in ("Yes please - it's actually for my colleague though, not me.",
                 "Yes please, I'll take it. Actually it's my manager who wants it."):
        got = at_the_desk(text, NOW, offered())
        assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear, text


def test_taking_an_offer_for_oneself_is_confident() -> None:
    # (control)
    got = at_the_desk("Yes please, I'd love the place.", NOW, offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


# Cancellations: someone else's place, no address -> ask; the sender's own stays confident.

def test_cancelling_someone_elses_place_without_their_address_asks() -> None:
    for text in ("Please cancel my colleague's place on the food webinar.",
                 "Can you cancel the food place? It's my colleague's, she's left.",
                 "I need to cancel the food webinar on behalf of my colleague.",
                 "My colleague is off sick, so I need to cancel the food webinar.",
                 "Cancel food please - my colleague can't make it after all.",
                 "My colleague asked me to cancel her textiles booking.",
                 "Please cancel my colleague's place on the food webinar; I'll still attend."):
        got = at_the_desk(text, NOW)
        assert got.intent is Intent.CANCEL and got.is_unclear, text


def test_cancelling_the_senders_own_place_stays_confident() -> None:
    # (control: the place is the sender's, whoever else the mail mentions)
    for text in ("Please cancel my place on the food webinar, I'm off sick.",
                 "I'm off sick, so I need to cancel the food webinar.",
                 "Please cancel my place on food - my colleague will be covering for me that day.",
                 "Sorry, my colleague's off sick and I need to cover for her, so I can't make "
                 "food - please cancel.",
                 "My manager needs me in the office, so please cancel food.",
                 "Please cancel my place on food. My colleague's place stays."):
        got = at_the_desk(text, NOW)
        assert confident(got, Intent.CANCEL, "food-2025") and not got.people, text


def test_cancelling_a_colleagues_place_with_their_address_cancels_theirs() -> None:
    got = at_the_desk(f"Please cancel my manager's booking on the food webinar. {KIM}", NOW)
    assert confident(got, Intent.CANCEL, "food-2025")
    assert [p.email for p in got.people] == [KIM]
