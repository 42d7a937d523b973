"""The recall classes fresh set 5 showed (issue 9, round 5): requests read as such, each in a
wording of its own (small hand-written mail, not the corpus files)."""

from __future__ import annotations

from dataclasses import replace

from test_understanding_classes import EVENTS, SENDER, confident, mail, read

from mailflow.model import Intent, ThreadContext
from mailflow.understanding import understand

from series import DEFAULT_NOW


def held(*event_ids: str, state: str = "confirmed") -> ThreadContext:
    return ThreadContext(state, event_ids, SENDER)


# Requests in the words of members whose first language is not English.

def test_asking_for_places_in_so_many_words_is_a_booking() -> None:
    got = read("Good morning. I write to ask one place for the webinar on furniture, please.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_inscribing_someone_is_registering_them() -> None:
    got = read("Is it possible to inscribe me to the textiles webinar of September?")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_asking_for_a_place_only_later_is_no_booking_yet() -> None:
    got = read("Will the furniture webinar have slides? I'd like to know before I ask for a place.")
    assert got.intent is not Intent.REGISTER


def test_deleting_me_from_a_list_cancels() -> None:
    got = read("Kindly delete me from the list for the logistics webinar, it is not my area now.",
               context=held("logistics-2025", state="waitlisted"))
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_giving_a_place_up_with_the_particle_after_it_cancels() -> None:
    got = read("Sorry - I need to give my seat up for this one, a tender deadline moved.",
               context=held("food-2025"))
    assert confident(got, Intent.CANCEL, "food-2025")


# A yes/no question asking for the asker's own place is the request.

def test_would_i_be_able_to_join_is_a_booking() -> None:
    got = read("Would we be able to join the logistics webinar in March?")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_is_there_a_place_for_me_is_a_booking() -> None:
    got = read("I've just taken over our uniforms contract. Is there still a place for me on "
               "the textiles one?")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_an_organisation_sending_one_person_books_that_person() -> None:
    got = read("Our trust would like to send one person to the furniture webinar - that's me.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_me_please_with_the_session_after_it_books_that_session() -> None:
    got = read("me pls: furniture")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# Substitutions in other shapes.

def test_giving_it_to_a_colleague_instead_is_a_substitution() -> None:
    got = read("My place on the food webinar: could you pass it on to Sam Reid "
               "(sam.reid@camden-council.example) instead?")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_swapping_one_addressed_colleague_for_another_names_both() -> None:
    got = read("Please swap Kim Lowe (kim.lowe@camden-council.example) for Sam Reid "
               "(sam.reid@camden-council.example) on the furniture webinar.")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")
    assert [p.email for p in got.people] == ["kim.lowe@camden-council.example"]
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_a_colleague_taking_my_named_sessions_place_is_a_substitution() -> None:
    got = read("Could Sam Reid (sam.reid@camden-council.example) have my furniture place?")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")


def test_swapping_in_a_colleague_is_a_substitution() -> None:
    got = read("Could you swap in my colleague Sam Reid <sam.reid@camden-council.example>?",
               context=held("food-2025"))
    assert confident(got, Intent.SUBSTITUTE, "food-2025")


# A question the booking answers, and questions put as statements.

def test_asking_whether_a_session_is_still_open_then_booking_is_a_clear_booking() -> None:
    got = read("Is the furniture one still available? If it is, sign me up please.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_question_put_as_i_would_like_to_ask_if_is_a_question() -> None:
    got = read("I would like to ask whether the textiles webinar is held online or in a room.")
    assert got.intent is Intent.QUESTION


def test_how_many_places_are_left_is_a_question_for_the_desk() -> None:
    got = read("How many places are still left on the textiles one?")
    assert got.intent is Intent.QUESTION


def test_someone_elses_word_that_they_booked_me_is_no_booking() -> None:
    got = read("My manager told me she'd put me down for the furniture webinar, but nothing came."
               " Could you check whether I'm on it?")
    assert got.intent is Intent.QUESTION


def test_what_the_sender_will_do_with_the_details_is_no_question() -> None:
    got = read("Thanks, noted. I'll pass the joining link on to my team once it comes.",
               context=held("food-2025"))
    assert got.intent is Intent.ACKNOWLEDGEMENT


def test_a_sales_pitch_asking_for_minutes_for_a_demo_is_not_a_question() -> None:
    got = read("Do you still take registrations by email? Could you spare 20 minutes on Friday "
               "for a short demo of our booking tool?")
    assert got.intent is Intent.UNKNOWN


def test_an_automatic_reply_by_its_subject_asks_nothing() -> None:
    got = understand(
        replace(mail("Thank you for your message. I will reply when I am next at work."),
                subject="Automatic reply: Place confirmed"),
        EVENTS, DEFAULT_NOW,
    )
    assert got.intent is Intent.UNKNOWN


# Text other languages' clients and writers shape differently.

def test_a_line_ending_on_a_word_no_sentence_ends_on_goes_on_in_the_next() -> None:
    got = read("Thanks for a great session. I'm booked for the\nFurniture one so see you there.")
    assert got.intent is Intent.ACKNOWLEDGEMENT


def test_a_foreign_salutation_is_no_part_of_the_request() -> None:
    got = read("Gentile Signora,\n\nme pls: furniture")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_foreign_disclaimer_under_the_signature_is_not_read() -> None:
    got = read("Please register me for the furniture webinar.\n\nJo Bloggs\nAcheteur\nCamden\n\n"
               "Ce message et ses pièces jointes sont confidentiels. Si vous avez reçu ce message "
               "par erreur, merci de prévenir l'expéditeur.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# Whose place: a forward's writer, a Cc'd colleague, the person our message went to.

def test_a_forwarded_writer_without_a_header_address_is_known_by_their_signature() -> None:
    text = ("Could you book Kim onto this please?\n\n________________________________\n"
            "From: Lowe, Kim\nSent: 3 January 2025 10:00\nTo: Bloggs, Jo\nSubject: furniture\n\n"
            "Hi Jo, could I go to the furniture webinar?\n\nKim Lowe\nBuyer\n"
            "kim.lowe@camden-council.example | 020 7000 0000")
    got = read(text, "FW: furniture")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == ["kim.lowe@camden-council.example"]


def test_a_forwarded_offer_to_go_instead_of_me_makes_its_writer_the_substitute() -> None:
    text = ("Kim will go to the furniture webinar instead of me - see below.\n\n"
            "---------- Forwarded message ---------\nFrom: Kim Lowe\nDate: 3 Jan 2025\n"
            "Subject: furniture\nTo: Jo Bloggs\n\nHappy to go instead if you can't make it.\n\n"
            "Kim Lowe\ne: kim.lowe@camden-council.example")
    got = read(text, "Fwd: furniture")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025") and got.people == ()
    assert got.substitute is not None and got.substitute.email == "kim.lowe@camden-council.example"


def test_a_forwarded_colleague_taking_my_named_sessions_place_is_the_substitute() -> None:
    text = ("Sam will take my furniture place - see his note below.\n\n-----Original Message-----"
            "\nFrom: Sam Reid <sam.reid@camden-council.example>\nSent: 2 January 2025 13:00\n"
            "To: Jo Bloggs\nSubject: furniture\n\nHappy to go instead of you.\nSam")
    got = read(text, "FW: furniture")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025") and got.people == ()
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_swap_him_for_names_the_colleague_after_for_as_the_taker() -> None:
    got = read("Furniture webinar: Kim Lowe (kim.lowe@camden-council.example) is off sick, so "
               "please swap her for Sam Reid (sam.reid@camden-council.example).")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")
    assert [p.email for p in got.people] == ["kim.lowe@camden-council.example"]
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_my_colleague_copied_in_taking_my_place_is_the_cc() -> None:
    text = "I can't make it now. My colleague (cc'd) will go in my place."
    cc = (("cc", "Sam Reid <sam.reid@camden-council.example>"),)
    got = understand(replace(mail(text), headers=cc), EVENTS, DEFAULT_NOW, held("food-2025"))
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_the_person_offered_answering_from_another_address_answers_for_themselves() -> None:
    offer = ThreadContext("offered", ("food-2025",), "j.bloggs@camden-council.example")
    got = understand(mail("Yes please, I'll take it - sending from my phone.",
                          sender="jobloggs77@gmail.example"), EVENTS, DEFAULT_NOW, offer)
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025") and got.people == ()


def test_an_answer_on_the_recipients_behalf_is_for_the_recipient() -> None:
    offer = ThreadContext("offered", ("food-2025",), "sam.reid@camden-council.example")
    got = read("Writing on Sam's behalf: yes, he'll take the place.", context=offer)
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    assert [p.email for p in got.people] == ["sam.reid@camden-council.example"]


def test_someone_else_answering_an_offer_unexplained_is_asked_about() -> None:
    offer = ThreadContext("offered", ("food-2025",), "sam.reid@camden-council.example")
    assert read("Yes, I'll take the place.", context=offer).is_unclear


# Replies written under the quote, and requests put as "same again".

def test_a_reply_written_under_an_unquoted_outlook_quote_is_read() -> None:
    text = ("-----Original Message-----\nFrom: Desk <registrations@lupc.example>\n"
            "Sent: 3 January 2025 10:00\nTo: Jo Bloggs <jo.bloggs@camden-council.example>\n"
            "Subject: A place is available: Food\n\nDear Jo,\n\nA place is free. Reply YES or NO."
            "\n\nDesk\n\n-----\n\nSorry, I can't make it after all - please release it to the "
            "next person.\n\nJo")
    got = read(text, "RE: A place is available: Food",
               context=ThreadContext("offered", ("food-2025",), SENDER))
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_a_reply_under_a_quote_with_no_closing_rule_stays_empty() -> None:
    text = ("-----Original Message-----\nFrom: Desk <registrations@lupc.example>\n"
            "Sent: 3 January 2025 10:00\nTo: Jo Bloggs <jo.bloggs@camden-council.example>\n"
            "Subject: Place confirmed: Food\n\nDear Jo,\n\nYour place is confirmed.\n\nDesk")
    got = read(text, "RE: Place confirmed: Food", context=held("food-2025"))
    assert got.intent is Intent.UNKNOWN


def test_same_again_inside_a_sentence_books_the_next_session() -> None:
    got = read("Great session - same again for the next one please, just me.",
               context=held("construction-2025"))
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_people_counted_in_what_already_happened_ask_for_no_places() -> None:
    got = read("Three of us attended the construction one. Could I have a place on the "
               "furniture webinar?")
    assert confident(got, Intent.REGISTER, "furniture-2025") and got.people == ()


# Sessions counted from now, or the last of the year.

def test_the_next_two_sessions_are_the_next_two_by_date() -> None:
    got = read("Please book me onto the next two sessions.")
    assert confident(got, Intent.REGISTER, "construction-2025", "logistics-2025")


def test_the_last_one_of_the_year_is_the_latest_session() -> None:
    got = read("Could I have a place on the final webinar of the series?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# The same classes as fresh set 4 showed them, in words of their own.

def test_loving_a_place_if_there_is_room_is_a_booking() -> None:
    got = read("Any room left on the furniture one? If so I'd love a place.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_sessions_for_me_please_is_a_booking() -> None:
    got = read("The furniture session for me please.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_two_people_who_would_both_like_to_attend_are_booked() -> None:
    got = read("Sam Reid (sam.reid@camden-council.example) and Kim Lowe "
               "(kim.lowe@camden-council.example) would both like to attend the furniture webinar.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert {p.email for p in got.people} == {"sam.reid@camden-council.example",
                                             "kim.lowe@camden-council.example"}


def test_no_need_to_keep_me_on_the_list_cancels() -> None:
    got = read("There's no need to keep me on the list for it now - the tender moved.",
               context=held("furniture-2025", state="waitlisted"))
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_an_answer_on_his_behalf_naming_the_recipient_is_for_the_recipient() -> None:
    offer = ThreadContext("offered", ("food-2025",), "sam.reid@camden-council.example")
    got = read("Sam is travelling, so I'm replying on his behalf: yes please.", context=offer)
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    assert [p.email for p in got.people] == ["sam.reid@camden-council.example"]


def test_thanks_in_another_language_is_an_acknowledgement() -> None:
    assert read("Vielen Dank!", context=held("food-2025")).intent is Intent.ACKNOWLEDGEMENT


def test_so_yes_id_very_much_like_to_take_it_accepts() -> None:
    got = read("Sorry for the delay, I was away. I'd hoped one would come up, so yes, I'd really "
               "like to take it.", context=ThreadContext("offered", ("food-2025",), SENDER))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_unfortunately_no_after_a_word_of_another_language_declines() -> None:
    got = read("Jammer - unfortunately not, I'm teaching that morning.",
               context=ThreadContext("offered", ("food-2025",), SENDER))
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_wanting_to_do_both_workshops_is_a_booking() -> None:
    got = read("Sam Reid (sam.reid@camden-council.example) and I would both like to do both "
               "evidence workshops.")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "evidence-skills-oct-2025")


def test_an_acronyms_plural_is_nobody_to_book() -> None:
    got = read("Please book me onto the furniture webinar; I'd like to do the KPIs properly.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_deciding_whether_to_sign_up_is_no_booking_yet() -> None:
    got = read("Is the furniture webinar recorded? I'm deciding whether to sign up.")
    assert got.intent is Intent.QUESTION


def test_a_session_named_as_yesterdays_is_background() -> None:
    got = read("Following yesterday's construction webinar, I'd like to book the furniture one.",
               now=DEFAULT_NOW.replace(month=1, day=30))
    assert confident(got, Intent.REGISTER, "furniture-2025")


# More of each class, as members put them.

def test_am_i_able_to_attend_a_named_session_is_a_booking() -> None:
    got = read("Am I able to attend the furniture webinar in December?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_are_we_able_to_attend_any_of_them_asks_about_eligibility() -> None:
    got = read("As an associate member, are we able to attend any of the webinars?")
    assert got.intent is not Intent.REGISTER or got.is_unclear


def test_interest_in_participating_is_a_booking() -> None:
    got = read("I am interested in participating in the furniture webinar.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_do_you_still_have_places_before_a_booking_is_answered_by_it() -> None:
    got = read("Do you still have places on the furniture webinar? If yes, please book me.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_annulling_a_registration_cancels() -> None:
    got = read("Please annul my registration for the furniture webinar.")
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_no_longer_available_in_reply_to_an_offer_declines() -> None:
    got = read("Thanks, but I'm no longer available that day.",
               context=ThreadContext("offered", ("food-2025",), SENDER))
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_gladly_i_accept_or_ill_be_there_accepts() -> None:
    offer = ThreadContext("offered", ("food-2025",), SENDER)
    assert confident(read("Gladly, I accept.", context=offer), Intent.ACCEPT_OFFER, "food-2025")
    assert confident(read("Great - I'll be there.", context=offer), Intent.ACCEPT_OFFER,
                     "food-2025")


def test_changing_the_name_on_my_booking_is_a_substitution() -> None:
    got = read("Please change the name on my furniture booking to Sam Reid "
               "(sam.reid@camden-council.example).")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


# What the new readings must not take for a request.

def test_a_favour_for_me_please_is_no_booking() -> None:
    got = read("Can you check that for me please?", "Furniture webinar")
    assert got.intent is not Intent.REGISTER


def test_leaving_a_mailing_list_is_no_cancellation() -> None:
    got = read("Please drop me from the newsletter mailing list.", "Furniture webinar")
    assert got.intent is not Intent.CANCEL or got.is_unclear


def test_sending_someone_to_an_office_is_no_booking() -> None:
    got = read("We'd like to send one person to your office next week about the contract.")
    assert got.intent is not Intent.REGISTER


def test_gladly_but_with_an_obstacle_is_no_yes() -> None:
    got = read("Gladly would I come, but the date is impossible.",
               context=ThreadContext("offered", ("food-2025",), SENDER))
    assert got.intent is not Intent.ACCEPT_OFFER or got.is_unclear


def test_able_to_attend_if_i_am_a_kind_of_member_is_asked_about() -> None:
    got = read("Am I able to attend the furniture webinar if I'm an associate member?")
    assert got.is_unclear


def test_subscribing_to_a_newsletter_or_a_supplier_list_is_no_booking() -> None:
    assert read("Please subscribe me to your newsletter.", "Furniture").intent is not (
        Intent.REGISTER)
    got = read("I write to ask for a place on your approved supplier list.", "Furniture")
    assert got.intent is not Intent.REGISTER


def test_being_deleted_from_a_database_cancels_no_place() -> None:
    got = read("Please delete me from your database.", "Furniture webinar")
    assert got.intent is not Intent.CANCEL


def test_a_hard_wrapped_line_goes_on_in_the_next_whatever_its_case() -> None:
    got = read("Good morning. I write to ask if it is possible to inscribe me and my colleague\n"
               "Sam Reid (sam.reid@camden-council.example) to the furniture webinar of December.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == [SENDER, "sam.reid@camden-council.example"]


def test_a_date_of_the_members_own_leave_contradicts_no_session() -> None:
    got = read("I go on leave from 3 August, so please cancel my furniture booking.")
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_a_date_naming_no_session_in_the_request_is_still_asked_about() -> None:
    assert read("Please book me on the furniture webinar on 12 December.").is_unclear


# Polite question forms of a booking, and what they must not catch.

def test_any_chance_i_could_join_is_a_booking() -> None:
    got = read("Any chance I could join the furniture one?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_would_there_be_room_for_me_is_a_booking() -> None:
    got = read("Would there be room for me on the furniture webinar?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_could_i_possibly_is_politeness_not_a_hedge() -> None:
    got = read("Could I possibly have a place on the furniture webinar?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_appreciating_a_place_or_being_put_down_is_a_booking() -> None:
    assert confident(read("I'd appreciate a place on the furniture webinar."), Intent.REGISTER,
                     "furniture-2025")
    assert confident(read("Could I be put down for the furniture webinar?"), Intent.REGISTER,
                     "furniture-2025")


def test_letting_someone_else_have_my_place_cancels() -> None:
    got = read("I can't make the furniture webinar now - can you let someone else have my place?")
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_asking_how_to_join_a_held_session_is_a_question() -> None:
    got = read("Is it ok if I join from my phone?", context=held("furniture-2025"))
    assert got.intent is Intent.QUESTION


def test_a_booking_verb_of_another_language_is_a_booking() -> None:
    got = read("Graag wil ik me aanmelden voor het furniture webinar.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_cancelling_verb_of_another_language_with_its_booking_noun_cancels() -> None:
    got = read("Bitte stornieren Sie meine Anmeldung für das Furniture-Webinar.")
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_replacing_my_name_with_a_colleagues_is_a_substitution() -> None:
    got = read("Please could you replace my name with my colleague Sam Reid, "
               "sam.reid@camden-council.example.", context=held("furniture-2025"))
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")


def test_passing_my_place_on_to_a_named_colleague_is_a_substitution() -> None:
    got = read("Please pass my place on to Sam Reid (sam.reid@camden-council.example).",
               context=held("furniture-2025"))
    assert got.intent is Intent.SUBSTITUTE
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_passing_my_place_on_to_whoever_is_next_cancels() -> None:
    got = read("Please pass my place on to whoever is next.", context=held("furniture-2025"))
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_nominating_a_colleague_for_a_session_books_them() -> None:
    got = read("I'd like to nominate Sam Reid (sam.reid@camden-council.example) for the "
               "furniture webinar.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == ["sam.reid@camden-council.example"]


def test_asking_to_remove_my_booking_cancels() -> None:
    got = read("Please could you remove my booking?", context=held("furniture-2025"))
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_a_supplier_wanting_to_join_is_a_question_for_the_coordinator() -> None:
    got = read("One of our suppliers wants to join the furniture webinar - is that allowed?")
    assert got.intent is Intent.QUESTION


def test_an_automatic_reply_by_its_words_asks_nothing() -> None:
    got = read("Thank you for your email. I am on annual leave and will return on Monday. I will "
               "respond to your message on my return.", context=held("food-2025"))
    assert got.intent is Intent.UNKNOWN
    got = read("Hello, I no longer work at Camden. Please contact procurement@camden.example.",
               context=held("food-2025"))
    assert got.intent is Intent.UNKNOWN


def test_a_thumbs_up_alone_is_an_acknowledgement() -> None:
    assert read("\N{THUMBS UP SIGN}", context=held("food-2025")).intent is Intent.ACKNOWLEDGEMENT


def test_the_session_after_a_named_one_is_the_next_by_date() -> None:
    got = read("Please book me on the webinar after the food one.",
               now=DEFAULT_NOW.replace(month=5, day=1))
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_the_one_after_a_season_is_still_asked_about() -> None:
    got = read("Can you put me on the one after the summer please?",
               now=DEFAULT_NOW.replace(month=5, day=1))
    assert got.is_unclear


def test_the_final_webinar_and_the_next_two_name_their_sessions() -> None:
    assert confident(read("Please book me on the final webinar."), Intent.REGISTER,
                     "furniture-2025")
    got = read("Please book me on the next two.", now=DEFAULT_NOW.replace(month=5, day=1))
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "food-2025")
