"""Other languages' words for the requests the desk reads: booking, calling off, answering an
offer, the months. A small vocabulary of the languages whose quoted-history headers
clean_history.py already recognises (French, German, Spanish, Italian, Dutch, the Nordic
ones) and Welsh: members write in them now and then, most often a short yes or no to an offer.

Matched, like every phrase pattern, against lower-cased text with straight quotes and the
accents as written; each word is spelled with and without its accent where people drop it.
(pattern, strength): a little less surely read than English, but a plain yes or no is a yes
or no in any language.
"""

from __future__ import annotations

# "but" in these languages: a yes or a wish followed by one is not yet an answer.
_BUT = r"(?:but|mais|aber|doch|pero|ma|maar|men|ond)"
# Within one sentence: a dot after a day ("am 24. nicht") ends none.
_IN = r"(?:[^.?!]|(?<=\d)\.)"

# Booking: "m'inscrire", "anmelden", "inscribirme", "iscrivermi", "aanmelden", and a wish to
# take part ("je voudrais participer", "ich möchte teilnehmen", "me gustaría asistir").
REGISTER: tuple[tuple[str, float], ...] = (
    (
        r"\b(?:anmelden|registrieren|inscrire|inscribirme|inscribir|iscrivermi|iscrivere"
        r"|aanmelden|inschrijven|tilmelde|anm(?:ä|a)la)\b"
        # Their nouns only as a label ("Aanmelding textiles + furniture").
        r"|^(?:anmeldung|inscription|inscripci(?:ó|o)n|iscrizione|aanmelding|inschrijving"
        r"|tilmelding|anm(?:ä|a)lan)\b",
        0.8,
    ),
    (
        r"\b(?:je (?:voudrais|souhaiterais|souhaite|veux|aimerais)"
        r"|ich (?:m(?:ö|oe)chte|w(?:ü|ue)rde gern(?:e)?)"
        r"|me gustar(?:í|i)a|quisiera|quiero|vorrei|desidero|ik wil(?:de)? graag)"
        r"\s+(?:[^.?!]{0,40}?\s)?(?:participer|assister|teilnehmen|participar|asistir|partecipare"
        r"|deelnemen)\b",
        0.8,
    ),
    # Asked whether one may take part: "wäre es möglich, dass ich am Webinar teilnehme?",
    # "kann ich teilnehmen?", "serait-il possible de participer ?", "¿podría asistir?",
    # "potrei partecipare?", "kan ik deelnemen?" (not "kann ich nicht teilnehmen": calling off).
    (
        r"\b(?:w(?:ä|ae)re es m(?:ö|oe)glich|ist es m(?:ö|oe)glich|k(?:ö|oe)nnte ich|kann ich"
        r"|darf ich|est-il possible|serait-il possible|pourrais-je|puis-je"
        r"|(?<!no )ser(?:í|i)a posible|(?<!no )es posible|(?<!no )podr(?:í|i)a"
        r"|sarebbe possibile|(?<!non )potrei|(?<!non )posso|is het mogelijk|zou ik|kan ik)\b"
        rf"(?:(?!\b(?:nicht|pas|niet|non|no)\b){_IN}){{0,60}}?"
        r"\b(?:teilnehme|teilnehmen|dabei sein|participe|participer|assister|asistir|participar"
        r"|partecipare|deelnemen)\b(?=[^.!]*\?)",
        0.8,
    ),
)
# Calling a booking off: the nouns and verbs for it, being taken off a list, not being able
# to come ("kann nicht teilnehmen", "je ne pourrai pas assister", "no podré asistir").
CANCEL: tuple[tuple[str, float], ...] = (
    (
        r"\b(?:abmelden|abmeldung|stornieren|stornierung|annuler|annulation|d(?:é|e)sinscri\w+"
        r"|cancelar|anular|cancelaci(?:ó|o)n|annullare|disdire|disdetta|afmelden|afmelding"
        r"|annuleren|afbestille|avboka|avanm(?:ä|a)la|cancellami|cancellatemi|darme de baja)\b",
        0.8,
    ),
    # "mi tolga dalla lista d'attesa", "nehmen Sie mich von der Liste", "retirez-moi de la
    # liste", "quíteme de la lista": taken off the list (of places or of those waiting).
    (
        r"\b(?:mi tolga|toglietemi|togliermi|mi cancelli|nehmen sie mich|streichen sie mich"
        r"|retirez-moi|retirer de|enlevez-moi|qu(?:í|i)teme|s(?:á|a)queme|b(?:ó|o)rreme"
        r"|haal (?:me|mij)|verwijder (?:me|mij))\b[^.?!]{0,30}?\b(?:lista|liste|list|lijst|von|de"
        r"|dalla|da)\b"
        # "graag mij van de wachtlijst halen": the Dutch verb comes last.
        r"|\b(?:mij|me)\s+(?:graag\s+)?van\s+de\s+(?:wacht)?lijst\s+(?:af\s*)?(?:halen|afhalen"
        r"|verwijderen|schrappen|halen)\b",
        0.8,
    ),
    (
        rf"\b(?:kann|k(?:ö|oe)nnen|werde)\b{_IN}{{0,40}}?\bnicht\b{_IN}{{0,20}}?"
        r"\b(?:teilnehmen|kommen|dabei sein)\b"
        r"|\bje ne (?:pourrai|peux|serai|vais|pourrais)(?: plus)? pas\b[^.?!]{0,20}?"
        r"\b(?:assister|participer|venir|(?:ê|e)tre (?:l(?:à|a)|pr(?:é|e)sent))"
        r"|\bno (?:podr(?:é|e)|puedo|voy a poder)\b[^.?!]{0,20}?\b(?:asistir|ir|participar"
        r"|acudir|estar)\b"
        r"|\bnon (?:potr(?:ò|o)|posso|riesco|riuscir(?:ò|o))\b[^.?!]{0,20}?\b(?:partecipare"
        r"|venire|esserci|essere presente)\b"
        r"|\b(?:kan|kun) (?:ik )?(?:toch )?niet\b[^.?!]{0,20}?\b(?:deelnemen|komen)\b",
        0.8,
    ),
)
# In reply to an offer only: the short yes of each language, where it opens a clause and no
# "but" follows ("Oui, avec plaisir !", "Ja, gerne", "Sí, por favor", "Ie, os gwelwch yn dda"),
# and the words that take the place ("je prends la place", "me quedo con la plaza").
ACCEPT_IN_REPLY: tuple[tuple[str, float], ...] = (
    (
        r"(?:^|[,;:!]\s*|\s-\s*)\W*(?:oui|ja|jawel|s(?:í|ì)|ie(?=\s*[,.!]|\s*$))\b"
        rf"(?![^.?!]{{0,40}}\b{_BUT}\b)",
        1.0,
    ),
    (
        r"\bs(?:í|i|ì),? por favor\b|\bja,? (?:bitte|gerne?|graag)\b"
        r"|\boui,? (?:merci|volontiers)\b",
        1.0,
    ),
    (
        rf"\b(?:avec (?:grand )?plaisir|volontiers|sehr gerne?|con (?:mucho )?gusto|con piacere"
        rf"|volentieri|met plezier|hoffwn)\b(?![^.?!]{{0,40}}\b{_BUT}\b)",
        1.0,
    ),
    (
        r"\bje (?:la )?prends(?: (?:la|cette) place)?\b|\bj'accepte\b"
        r"|\b(?:ich )?nehme (?:ihn|es|den platz|das angebot|ihr angebot)(?: gerne?| sehr gerne?)?"
        r" an\b|\bme quedo con (?:la plaza|ella|el lugar)\b|\bacepto\b|\baccetto\b"
        r"|\b(?:prendo|accetto) il posto\b|\bik neem (?:de plaats|hem|het)\b",
        1.0,
    ),
)
# In reply to an offer only: no, and the place handed on ("leider kann ich nicht", "je ne
# pourrai pas", "no podré", "non posso"; "geben Sie den Platz jemand anderem", "ofrezca la
# plaza a otra persona").
DECLINE_IN_REPLY: tuple[tuple[str, float], ...] = (
    (
        r"(?:^|[,;:]\s*|\s-\s*|\b(?:mais|aber|pero|ma|maar)\s+)(?:non|nein|nee|na)\b"
        r"(?=\s*(?:[,.;:!-]|$|merci|danke|gracias|grazie|bedankt|diolch))",
        1.0,
    ),
    (
        rf"\bleider\b{_IN}{{0,60}}?\b(?:nicht|nein|kein\w*|absagen|verhindert)\b"
        r"|\bmalheureusement\b[^.?!]{0,60}?\b(?:pas|non|impossible|emp(?:ê|e)ch(?:é|e)e?)\b"
        r"|\b(?:lamentablemente|desafortunadamente|por desgracia)\b[^.?!]{0,60}?\bno\b"
        r"|\bpurtroppo\b[^.?!]{0,60}?\bnon\b|\bhelaas\b[^.?!]{0,60}?\bniet\b",
        1.0,
    ),
    (
        r"\bje ne (?:pourrai|peux|serai|pourrais)(?: plus)? pas\b"
        r"|\bno (?:podr(?:é|e)|puedo|voy a poder)\b|\bnon (?:potr(?:ò|o)|posso|riesco)\b"
        rf"|\bkann ich\b{_IN}{{0,30}}?\bnicht\b|\bdim diolch\b",
        1.0,
    ),
    (
        r"\b(?:jemand(?:em|en)? (?:anderem|anderen|anders)|n(?:ä|ae)chsten? person"
        r"|quelqu'un d'autre|(?:une )?autre personne|la personne suivante|otra persona"
        r"|la siguiente persona|qualcun (?:altro|'altro)|un'altra persona|iemand anders)\b",
        1.0,
    ),
)
# Thanks: an answer of thanks alone says nothing else ("Merci !", "Diolch yn fawr").
THANKS = (
    r"merci|danke|vielen dank|gracias|grazie|dank je|dank u|bedankt|tack|tak|diolch"
    r"|dzi(?:ę|e)kuj(?:ę|e)|d(?:ě|e)kuji|obrigad[oa]|c'est not(?:é|e)|perfetto|parfait|prima"
    r"|genial|super"
)
# Month names, for dates written day first ("25 juin", "28 de mayo", "29. Oktober").
MONTHS = {
    **dict.fromkeys(("janvier", "januar", "enero", "gennaio", "januari"), 1),
    **dict.fromkeys(("février", "fevrier", "februar", "febrero", "febbraio", "februari"), 2),
    **dict.fromkeys(("mars", "märz", "maerz", "marzo", "maart"), 3),
    **dict.fromkeys(("avril", "abril", "aprile"), 4),
    **dict.fromkeys(("mai", "mayo", "maggio", "mei"), 5),
    **dict.fromkeys(("juin", "juni", "junio", "giugno"), 6),
    **dict.fromkeys(("juillet", "juli", "julio", "luglio"), 7),
    **dict.fromkeys(("août", "aout", "agosto", "augustus"), 8),
    **dict.fromkeys(("septembre", "septiembre", "setiembre", "settembre"), 9),
    **dict.fromkeys(("octobre", "oktober", "octubre", "ottobre"), 10),
    **dict.fromkeys(("novembre", "noviembre"), 11),
    **dict.fromkeys(("décembre", "decembre", "dezember", "diciembre", "dicembre"), 12),
}
