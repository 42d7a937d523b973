"""What an answer to an offer says: yes or no, in the words people use (pattern, strength)."""

from __future__ import annotations

from mailflow.understanding.phrases import PLACE as _PLACE

ACCEPT: tuple[tuple[str, float], ...] = (
    (rf"\b(?:accept|take up|take)\s+(?:the|your|this|that|up the)\s+(?:offer|{_PLACE})", 1.0),
    (
        rf"\bi(?:'ll| will|(?: would|'d)(?: very much| really| so much)? (?:like|love) to)"
        rf" take (?:it|the {_PLACE}|that|up)",
        1.0,
    ),
    (r"\b(?:happy|delighted|pleased|glad)\s+to\s+(?:accept|take)\b", 1.0),
)
# Only in reply to an offer: the short answers people give.
ACCEPT_IN_REPLY: tuple[tuple[str, float], ...] = (
    (
        r"^\W*(?:yes|yep|yeah|yea|yup|absolutely|definitely|certainly|of course|sure|great news|"
        r"oh yes|ooh yes|fantastic|wonderful|brilliant)\b(?!,? thanks? (?:but|though))",
        1.0,
    ),
    (r"\byes,? please\b", 1.0),
    # "Apologies for the delay - yes, I'll take it", "Ja - yes please": a yes that opens a
    # clause anywhere, not only the first word of the mail.
    (
        r"(?:^|[,;:]\s*|\s-\s*)(?:so |then |and )?(?:yes|yep|yeah|yup)\b(?!,? (?:but|though))"
        r"(?![^.?!]{0,30}\bbut\b)",
        1.0,
    ),
    (r"^\W*go on then\b", 1.0),
    # "Gladly, I accept", "I'll be there": the yes in other words.
    (r"\bi(?: happily| gladly| will|'ll| would like to|'d like to| am happy to)? accept\b", 1.0),
    (r"(?:^|[,;:]\s*)(?:gladly|happily|with pleasure)\b(?![^.?!]{0,40}\bbut\b)", 1.0),
    (r"\b(?:i'll|i will|we'll|we will) be there\b", 1.0),
    (r"\b(?:yes|yep)\W*$", 1.0),
    # "Accept - thank you!", "Accepted.": the offer's own word, alone, as the whole answer (not
    # the calendar's "Accepted: ...", read as a calendar reply).
    (r"^\W*accept(?:ed)?\s*(?:[-,.!;]|$|thanks?\b|thank you\b|with thanks\b)", 1.0),
    (r"\bi(?:'ll| will) (?:have|take) (?:it|that|the place|the seat)\b", 1.0),
    (r"\bi can (?:still )?(?:make|attend|come|do|join)\b", 1.0),
    # Not "still keen on the later sessions": a wish for other sessions answers no offer.
    (r"\bstill (?:keen|interested|want|available|able)\b"
     r"(?![^.?!]{0,25}\b(?:later|other|future|remaining|rest of the)\b)", 1.0),
    (r"\b(?:please )?(?:confirm|book) (?:me|my place|it)\b", 1.0),
    # A colleague or PA answering for the person we wrote to: "asked me to say yes to this on
    # her behalf", "please confirm the place for her".
    (r"(?<!n't )(?<!not )(?<!cannot )\bsay yes\b(?! (?:if|when|once|yet)\b)"
     r"(?![^.?!]{0,30}\bbut\b)", 1.0),
    (r"\b(?:please|kindly|can you|could you) confirm (?:the|this|her|his|their) (?:place|seat"
     r"|spot)\b(?! is\b)", 1.0),
    # "I'd love to but I'm on holiday" is a no: the wish with an obstacle after it.
    (r"\b(?:i'd|i would) (?:very much |really |so much )?(?:love|like) (?:it|that|to)\b"
     r"(?![^.?!]{0,40}\bbut\b)", 0.9),
    # "Apologies for the slow reply - I'd still very much like the place": the yes as a wish
    # for the place itself.
    (rf"\b(?:i'd|i would) (?:still )?(?:very much |really |so much |still )*(?:love|like|want)"
     rf" (?:the|this|that) {_PLACE}\b(?![^.?!]{{0,40}}\bbut\b)", 1.0),
)
# "No need to reply", "No, I don't mind (the short notice)": a no that refuses nothing.
_NOT_A_NO = (
    r"\s+need\s+to\s+(?:reply|respond|answer|get back|confirm|acknowledge)\b"
    r"|\s*[,.!-]?\s*(?:i|we)\s+(?:don't|do not|really don't)\s+mind\b"
)

DECLINE: tuple[tuple[str, float], ...] = (
    (r"\bdecline\b", 1.0),
    (
        rf"\b(?:no longer|not|don't|do not|won't|will not)\s+(?:need|want|require)\s+(?:it\b"
        rf"|(?:the|this|that)"
        rf"\s+(?:offer|{_PLACE}))",
        1.0,
    ),
    (r"\bturn(?:ing)? (?:it |the offer |this )?down\b", 1.0),
    (r"\bpass on (?:the|this|that)\s+(?:offer|place)\b", 1.0),
    # "so I must renounce to the place": a no in the words of a Romance language's writer.
    (rf"\b(?:renounce|renouncing|forgo|forego)\s+(?:to\s+)?(?:the|this|that|my|your|it)\b"
     rf"(?:\s+(?:offer|{_PLACE}))?", 1.0),
)
DECLINE_IN_REPLY: tuple[tuple[str, float], ...] = (
    (
        r"\b(?:i'd|i would) (?:love|like) to\b[^.?!]{0,30}\bbut\b[^.?!]{0,60}\b(?:can't|cannot"
        r"|can not|won't|unable|not able|on holiday|on leave|away|busy|clash\w*|booked)",
        1.0,
    ),
    # (Not "No problem, I'll take it", "no worries": a courtesy, and the yes beside it stands;
    # nor "No need to reply", nor "No, I don't mind the short notice": the no of a courtesy, or
    # the answer to "do you mind?".)
    (r"^\W*(?:no|nope|sadly not|unfortunately not)\b"
     r"(?!\s+(?:problem|problems|probs|prob|worries|worry|bother|trouble|rush|hurry)\b)"
     rf"(?!{_NOT_A_NO})", 1.0),
    # "Unfortunately no - I'm on leave that day", "sorry, no".
    (r"(?:^|[,;:]\s*|\s-\s*)\W*(?:unfortunately|sadly|regrettably|sorry|i'm afraid|afraid),?"
     r"\s+(?:no|not)\b", 1.0),
    # "If that's a problem then let it go to someone who can stay."
    (r"\blet it go to (?:someone|somebody|the next|another|anyone)\b", 1.0),
    (r"\bno,? thank", 1.0),
    # "Thanks but no - ...", "sorry, no, I can't": a no that opens a clause anywhere.
    (
        r"(?:^|[,;:]\s*|\s-\s*|\bbut\s+)(?:no|nope)\b"
        rf"(?=\s*(?:[,.;:!-]|$|thanks?|thank you|sorry))(?!{_NOT_A_NO})",
        1.0,
    ),
    (r"\bnot this time\b", 1.0),
    # "I'm afraid I can't - thanks for thinking of me", "Sorry, I can't.": the bare can't
    # answers the offer's own question (not "I can't wait", nor "I can't, but my colleague").
    (r"(?:^|[,;:]\s*|\s-\s*|\b(?:afraid|sorry|unfortunately|sadly|regrettably),?\s+)"
     r"i (?:can't|cannot|can not|won't be able to)\s*(?:[.;:!-]|$)", 1.0),
    # "So no to this one, but keep me on the furniture list": the no said of the offer itself.
    (rf"\b(?<!say )(?<!said )no to (?:this|that|the|your) (?:one|offer|{_PLACE})\b", 1.0),
    (r"\b(?:it's|it is|that's|that is) a no\b", 1.0),
    (r"\b(?:give|offer|pass|release|hand) it (?:on |back )?to\b", 1.0),
    # "Please release it", "release the place to the next person": our own word for a no.
    (rf"\brelease (?:it|the {_PLACE}|my {_PLACE}|this one)\b", 1.0),
    (r"\b(?:someone|somebody) else\b", 1.0),
    (r"\bi'll pass\b", 1.0),
    # "Declined - sorry, on leave that week", "I'll have to pass this time": the offer's own word
    # alone, or a pass that ends its clause.
    (r"^\W*declined?\s*(?:[-,.!;]|$|thanks?\b|thank you\b|with thanks\b|sorry\b)", 1.0),
    (r"\b(?:have to|must|going to|i'd better|i will|i'll)\s+pass"
     r"(?=\s*(?:[.,;:!-]|$|this time\b|for now\b|on this occasion\b|thanks?\b|sorry\b))", 1.0),
    # "I can't do that date - pass it on", "I'll have to pass on this one", "I'll have to say no".
    (r"\bpass it on\b", 1.0),
    (r"\b(?:have to|'ll|will|must|going to|i'd better)\s+pass on (?:this|it|that)\b", 1.0),
    (r"\b(?:have to|'ll have to|must|going to)\s+(?:say no|decline)\b", 1.0),
)
