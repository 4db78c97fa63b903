"""Seeded generator of labelled training text for pii_mapper's NER model.

Chat messages and prose in English, French, German, Spanish, Italian and Dutch, from the
templates below (written for this model; the evaluation corpus in ``benchmarks/`` is a
separate, independent set). Slots are filled with values from Faker's locales, recombined
and re-shaped here (initials, double and hyphenated surnames, particles, lower case, ALL
CAPS) so the model learns context and shape rather than a list, then whole messages are
re-cased (lower, UPPER, Title, no punctuation) with the gold spans carried along.

Gold labels: PERSON, LOCATION (a postal address is ONE span, line breaks included; a city
or country alone too), ORGANIZATION, DATE_TIME (absolute dates only) and NRP. Relative
dates, form labels, greetings, job titles, product names, capitalised common words and
ALL-CAPS shouting are in the text but never labelled: the model learns they are not PII.

Each template belongs to the train or the dev split (every fifth one per language and kind
is held out), so the dev score measures templates the model never saw.

``python -m models.training.generate --show 20`` prints samples.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from faker import Faker

__all__ = ["LABELS", "SEED", "Example", "Generator", "main"]

SEED = 20261201
LABELS = ("PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "NRP")
LANGS = ("en", "fr", "de", "es", "it", "nl")

# --- where the values come from -----------------------------------------------------------

# Locales whose people write in each language (names, companies, cities).
_LANG_LOCALES = {
    "en": ("en_US", "en_GB", "en_AU", "en_CA", "en_IE", "en_NZ", "en_IN"),
    "fr": ("fr_FR", "fr_BE", "fr_CH", "fr_CA"),
    "de": ("de_DE", "de_AT", "de_CH"),
    "es": ("es_ES", "es_MX", "es_AR", "es_CO", "es_CL"),
    "it": ("it_IT", "it_CH"),
    "nl": ("nl_NL", "nl_BE"),
}
# Names of many other cultures, written in Latin script.
_WORLD_NAME_LOCALES = (
    "fi_FI", "hu_HU", "et_EE", "pt_BR", "pt_PT", "pl_PL", "cs_CZ", "sk_SK", "sv_SE", "da_DK",
    "no_NO", "tr_TR", "ro_RO", "hr_HR", "sl_SI", "lt_LT", "lv_LV", "id_ID", "vi_VN", "en_IN",
    "en_PK", "yo_NG", "ig_NG", "en_NG", "sw", "ga_IE", "tl_PH", "en_KE", "az_AZ", "sq_AL",
)  # fmt: skip
# Locales whose romanised names Faker knows (first_romanized_name / last_romanized_name).
_ROMANISED_LOCALES = ("ja_JP", "zh_CN", "zh_TW")
# Latin-script postal addresses of many countries (multi-line as the locale writes them).
_ADDRESS_LOCALES = (
    "en_US", "en_GB", "en_AU", "en_CA", "en_IE", "en_NZ", "en_IN", "en_PH", "fr_FR", "fr_CH",
    "de_DE", "de_AT", "de_CH", "es_ES", "es_MX", "it_IT", "nl_NL", "nl_BE", "fi_FI", "hu_HU",
    "pt_BR", "pt_PT", "pl_PL", "cs_CZ", "sk_SK", "sv_SE", "da_DK", "no_NO", "ro_RO", "hr_HR",
    "id_ID", "vi_VN", "fr_CA", "es_AR", "lt_LT",
)  # fmt: skip

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}

_WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
}
# How a time follows a date: "at 3pm", "à 14h30", "um 11:47 Uhr" …
_AT = {"en": "at", "fr": "à", "de": "um", "es": "a las", "it": "alle", "nl": "om"}

# Courtesy titles before a name: not part of the name.
_HONORIFICS = {
    "en": ["Mr", "Mrs", "Ms", "Dr", "Mr.", "Dr.", "Prof.", "Miss"],
    "fr": ["M.", "Mme", "Madame", "Monsieur", "Dr", "Me", "Mlle"],
    "de": ["Herr", "Frau", "Dr.", "Prof.", "Herrn"],
    "es": ["Sr.", "Sra.", "Dr.", "Dra.", "Don", "Doña", "Dña."],
    "it": ["Sig.", "Sig.ra", "Dott.", "Dott.ssa", "Avv.", "Ing."],
    "nl": ["dhr.", "mevr.", "Dhr.", "Mevr.", "dr.", "mr."],
}

# Parts that precede or follow a street in real addresses: flats, units, floors, buildings.
_ADDRESS_EXTRAS = [
    "Unit {n}, ", "Apt {n}B, ", "Flat {n}, ", "Suite {n}, ", "No. {n}, ", "Bât. C, Appt {n}, ",
    "Résidence Les Tilleuls, ", "Hinterhaus {n}. OG, ", "c/o Hotel Sonne, ", "The Old Mill, ",
    "Block {n}, ", "Piso {n}, ", "Scala B, int. {n}, ", "{n}e verdieping, ", "Postbus {n}, ",
]  # fmt: skip

_RELATIVE = {
    "en": [
        "tomorrow", "today", "yesterday", "tonight", "next week", "last month", "on Monday",
        "this Friday", "in two weeks", "the day after tomorrow", "next year", "by end of day",
        "this morning", "last night", "in 3 days", "two days ago", "next Tuesday", "soon",
        "at noon", "after lunch", "over the weekend", "in an hour", "EOD", "ASAP",
    ],
    "fr": [
        "demain", "aujourd'hui", "hier", "ce soir", "la semaine prochaine", "le mois dernier",
        "lundi", "vendredi prochain", "dans deux semaines", "après-demain", "l'an prochain",
        "ce matin", "hier soir", "dans 3 jours", "il y a deux jours", "mardi prochain",
        "bientôt", "à midi", "ce week-end", "dans une heure",
    ],
    "de": [
        "morgen", "heute", "gestern", "heute Abend", "nächste Woche", "letzten Monat",
        "am Montag", "diesen Freitag", "in zwei Wochen", "übermorgen", "nächstes Jahr",
        "heute früh", "gestern Abend", "in 3 Tagen", "vor zwei Tagen", "nächsten Dienstag",
        "bald", "mittags", "am Wochenende", "in einer Stunde",
    ],
    "es": [
        "mañana", "hoy", "ayer", "esta noche", "la semana que viene", "el mes pasado",
        "el lunes", "este viernes", "dentro de dos semanas", "pasado mañana", "el año que viene",
        "esta mañana", "anoche", "en 3 días", "hace dos días", "el próximo martes", "pronto",
        "a mediodía", "el fin de semana", "en una hora",
    ],
    "it": [
        "domani", "oggi", "ieri", "stasera", "la prossima settimana", "il mese scorso",
        "lunedì", "questo venerdì", "tra due settimane", "dopodomani", "l'anno prossimo",
        "stamattina", "ieri sera", "tra 3 giorni", "due giorni fa", "martedì prossimo",
        "presto", "a mezzogiorno", "nel weekend", "tra un'ora",
    ],
    "nl": [
        "morgen", "vandaag", "gisteren", "vanavond", "volgende week", "vorige maand",
        "maandag", "deze vrijdag", "over twee weken", "overmorgen", "volgend jaar",
        "vanochtend", "gisteravond", "over 3 dagen", "twee dagen geleden", "volgende dinsdag",
        "binnenkort", "rond het middaguur", "in het weekend", "over een uur",
    ],
}  # fmt: skip

_TITLES = {
    "en": [
        "Head of Sales", "Account Manager", "Senior Software Engineer", "CEO", "CTO",
        "Data Protection Officer", "HR Business Partner", "Product Owner", "Team Lead",
        "Customer Success Manager", "Finance Director", "Office Manager", "Nurse", "Doctor",
    ],
    "fr": [
        "Directeur commercial", "Responsable RH", "Chef de projet", "Ingénieur logiciel",
        "Directrice financière", "Assistante de direction", "Comptable", "Infirmière",
    ],
    "de": [
        "Geschäftsführer", "Vertriebsleiterin", "Projektleiter", "Softwareentwickler",
        "Leiterin Personal", "Sachbearbeiter", "Buchhalterin", "Teamleiter",
    ],
    "es": [
        "Director comercial", "Jefa de proyecto", "Ingeniero de software", "Responsable de RRHH",
        "Directora financiera", "Contable", "Gerente de cuentas", "Enfermera",
    ],
    "it": [
        "Direttore commerciale", "Responsabile HR", "Capo progetto", "Ingegnere software",
        "Direttrice finanziaria", "Commercialista", "Account manager", "Infermiera",
    ],
    "nl": [
        "Commercieel directeur", "HR-adviseur", "Projectleider", "Softwareontwikkelaar",
        "Financieel directeur", "Boekhouder", "Accountmanager", "Verpleegkundige",
    ],
}  # fmt: skip

_PRODUCTS = [
    "Excel", "Outlook", "Teams", "Zoom", "Slack", "Jira", "Confluence", "Salesforce",
    "iPhone 15", "Galaxy S23", "ThinkPad", "MacBook Pro", "Windows 11", "Chrome", "Firefox",
    "SharePoint", "OneDrive", "Dropbox", "WhatsApp", "Kubernetes", "Postgres", "Python",
    "Office 365", "PowerPoint", "Photoshop", "Acrobat", "Kindle", "AirPods", "Android",
]  # fmt: skip

_NRP = {
    "en": [
        "French", "German", "Spanish", "Italian", "Dutch", "Polish", "Nigerian", "Indian",
        "Chinese", "Japanese", "Brazilian", "Mexican", "Muslim", "Christian", "Catholic",
        "Jewish", "Hindu", "Buddhist", "Sikh", "Protestant", "Republican", "Democrat",
        "Turkish", "Vietnamese", "Kenyan", "Irish", "Hungarian", "Finnish",
    ],
    "fr": [
        "française", "français", "allemand", "marocaine", "algérien", "sénégalaise",
        "musulman", "catholique", "juive", "protestant", "bouddhiste", "italienne", "belge",
    ],
    "de": [
        "Deutscher", "Türkin", "Polin", "Italiener", "Muslim", "Katholikin", "Jude",
        "evangelisch", "katholisch", "muslimisch", "jüdisch", "Syrer", "Österreicherin",
    ],
    "es": [
        "española", "mexicano", "colombiana", "argentino", "marroquí", "católico",
        "musulmana", "judío", "evangélica", "peruano", "venezolana", "francés",
    ],
    "it": [
        "italiana", "rumeno", "albanese", "marocchino", "cattolico", "musulmana", "ebreo",
        "ortodosso", "tedesca", "cinese", "ucraina", "egiziano",
    ],
    "nl": [
        "Nederlander", "Marokkaanse", "Turkse", "Surinaamse", "Belg", "katholiek", "moslim",
        "joods", "protestants", "Poolse", "Duitser", "hindoestaanse",
    ],
}  # fmt: skip

# Ordinary capitalised words of each language (sentence starts, German nouns, headings)
# that an English model takes for names.
_COMMON_WORDS = {
    "en": ["Invoice", "Meeting", "Update", "Reminder", "Feedback", "Support", "Billing"],
    "fr": ["Merci", "Bonjour", "Salut", "Rendez-vous", "Facture", "Commande", "Réunion",
           "Courriel", "Dossier", "Devis", "Bisous", "Coucou", "Voilà", "Désolé"],
    "de": ["Rechnung", "Termin", "Bestellung", "Danke", "Grüße", "Bitte", "Besprechung",
           "Unterlagen", "Vertrag", "Kündigung", "Anfrage", "Lieferung", "Zahlung", "Urlaub"],
    "es": ["Gracias", "Hola", "Factura", "Pedido", "Reunión", "Saludos", "Cita", "Oye",
           "Vale", "Perdona", "Presupuesto", "Entrega", "Pago", "Adjunto"],
    "it": ["Grazie", "Ciao", "Fattura", "Ordine", "Riunione", "Saluti", "Appuntamento",
           "Allegato", "Preventivo", "Consegna", "Pagamento", "Scusa", "Buongiorno", "Prego"],
    "nl": ["Bedankt", "Hoi", "Factuur", "Bestelling", "Vergadering", "Groetjes", "Afspraak",
           "Bijlage", "Offerte", "Levering", "Betaling", "Sorry", "Dag", "Graag"],
}  # fmt: skip

_ORG_SUFFIXES = {
    "en": ["Ltd", "Inc.", "LLC", "plc", "Group", "Holdings", "& Partners", "Consulting"],
    "fr": ["SARL", "SAS", "S.A.", "& Associés", "Conseil", "Groupe"],
    "de": ["GmbH", "AG", "KG", "GmbH & Co. KG", "Gruppe", "& Söhne"],
    "es": ["S.L.", "S.A.", "y Asociados", "Grupo", "Consultores"],
    "it": ["S.p.A.", "S.r.l.", "& Figli", "Gruppo", "Consulting"],
    "nl": ["B.V.", "N.V.", "& Zonen", "Groep", "Advies"],
}

_PARTICLES = ["van", "van der", "van den", "de", "ter", "von", "da", "di", "del", "de la", "le"]

# --- the templates ------------------------------------------------------------------------
# Slots: {P} a person, {F} a first name, {S} a surname, {A} a postal address (maybe on
# several lines), {A1} an address on one line, {C} a city, {K} a country, {O} an
# organisation, {D} an absolute date, {N} a nationality/religion/political group (all
# labelled); {R} a relative date, {J} a job title, {X} a product, {E} the e-mail of the last
# person, {M} some e-mail, {T} a phone number, {W} a capitalised common word (never labelled).

_TEMPLATES: dict[str, dict[str, list[str]]] = {
    "en": {
        "chat": [
            "hi, this is {F}. can you reset my password {R}?",
            "Hi {F}, could you send the contract to {P} before {D}?",
            "my colleague {P} will join the call {R}",
            "{P} <{E}> asked about the refund for order 55812",
            "please forward this to {P}({E}) and cc {F}",
            "Ship it to {A}",
            "new address:\n{A}",
            "I was born on {D} in {C}",
            "we moved from {C} to {C} in {D}",
            "can {F} and {F} both attend the workshop {R}?",
            "Thanks {F}! talk {R}",
            "{P} from {O} called about the {X} licence",
            "ask {P}, our {J}, she handles it",
            "he is {N} and lives in {C}, {K}",
            "her DOB is {D}, she lives at {A1}",
            "Hey its {F} here, my number is {T}",
            "meeting with {O} {R} at their office in {C}",
            "Dear {P},\nyour appointment is confirmed for {D}.",
            "{F} {S} ({N}) applied for the {J} role",
            "sent from {C}. regards, {F}",
            "URGENT: {P} needs access to {X} {R}",
            "can you check why {O} billed us twice on {D}?",
        ],
        "prose": [
            "{P} was appointed {J} of {O} on {D}.",
            "Born in {C} on {D}, {P} studied law before joining {O}.",
            "The {N} delegation, led by {P}, arrived in {K} {R}.",
            "According to {P}, the office at {A1} will close at the end of {D}.",
            "{O} signed the agreement with {O} in {C}.",
            "Correspondence should be addressed to {P}, {A}.",
            "{P} and {P} founded {O} in {C} in {D}.",
            "The hearing of {P} is scheduled for {D} at the court in {C}.",
            "After leaving {K}, {P} settled in {C}, where {S} still lives.",
            "The parcel for {P} was returned to the sender at {A}.",
        ],
        "neg": [
            "Name:\nEmail:\nPhone:\nAddress:",
            "Please fill in your Social Security Number, Date of Birth and Email Address.",
            "PLEASE REPLY {R}, THIS IS URGENT",
            "The {J} will review the {X} rollout {R}.",
            "Can you update the {W} in {X} {R}?",
            "Subject: {W} for {R}",
            "NOTE: the SERVER will be DOWN {R} for MAINTENANCE",
            "Hi, this is a reminder that the {W} is due {R}.",
            "First Name / Last Name / Email / Password",
            "We need a {J} who knows {X} and {X}.",
        ],
    },
    "fr": {
        "chat": [
            "Salut, c'est {F}. tu peux m'appeler {R} ?",
            "Bonjour {F}, peux-tu envoyer le devis à {P} avant le {D} ?",
            "ma collègue {P} sera là {R}",
            "{P} <{E}> demande un remboursement",
            "Merci de transmettre à {P} ({E})",
            "Livraison à l'adresse suivante :\n{A}",
            "Je suis née le {D} à {C}",
            "{F} et {F} viennent {R} à la réunion",
            "Merci {F} ! à {R}",
            "{P} de chez {O} a appelé pour la licence {X}",
            "Il est {N} et habite à {C} ({K})",
            "Ma nouvelle adresse : {A1}",
            "Coucou c'est {F}, mon numéro : {T}",
            "Rendez-vous avec {O} {R} à {C}",
            "Madame {S}, votre rendez-vous est confirmé pour le {D}.",
            "Facture de {O} du {D} en pièce jointe",
        ],
        "prose": [
            "{P} a été nommé {J} de {O} le {D}.",
            "Née à {C} le {D}, {P} a rejoint {O} après ses études.",
            "Toute correspondance doit être adressée à {P}, {A}.",
            "{P} et {P} ont fondé {O} à {C} en {D}.",
            "L'audience de {P} est fixée au {D} au tribunal de {C}.",
            "La délégation {N} conduite par {P} est arrivée en {K}.",
            "Le colis destiné à {P} a été renvoyé à {A1}.",
        ],
        "neg": [
            "Nom :\nPrénom :\nCourriel :\nAdresse :",
            "Merci de remplir votre numéro de sécurité sociale et votre date de naissance.",
            "Bonjour, petit rappel : la {W} est à régler {R}.",
            "Désolé, je ne peux pas {R}, on se voit {R} ?",
            "Le {J} valide la {W} {R}.",
            "Objet : {W} pour {R}",
            "URGENT : le serveur sera coupé {R}",
        ],
    },
    "de": {
        "chat": [
            "Hallo, hier ist {F}. Können Sie mich {R} zurückrufen?",
            "Hi {F}, schickst du den Vertrag bis {D} an {P}?",
            "mein Kollege {P} kommt {R} vorbei",
            "{P} <{E}> fragt nach der Rechnung",
            "Bitte an {P} ({E}) weiterleiten",
            "Lieferadresse:\n{A}",
            "Ich bin am {D} in {C} geboren",
            "{F} und {F} kommen {R} zum Termin",
            "Danke {F}! Bis {R}",
            "{P} von {O} hat wegen der {X}-Lizenz angerufen",
            "Er ist {N} und wohnt in {C}, {K}",
            "Meine neue Anschrift: {A1}",
            "Servus, {F} hier, meine Nummer ist {T}",
            "Termin mit {O} {R} in {C}",
            "Sehr geehrte Frau {S}, Ihr Termin am {D} ist bestätigt.",
            "Rechnung von {O} vom {D} anbei",
        ],
        "prose": [
            "{P} wurde am {D} zum {J} der {O} ernannt.",
            "Die am {D} in {C} geborene {P} trat nach dem Studium bei {O} ein.",
            "Schriftverkehr bitte an {P}, {A}.",
            "{P} und {P} gründeten {O} im {D} in {C}.",
            "Die Verhandlung gegen {P} ist für den {D} am Amtsgericht {C} angesetzt.",
            "Die {N} Delegation unter {P} traf in {K} ein.",
            "Das Paket für {P} ging zurück an {A1}.",
        ],
        "neg": [
            "Name:\nVorname:\nE-Mail:\nAnschrift:",
            "Bitte geben Sie Ihre Steuer-ID, Ihr Geburtsdatum und Ihre Bankverbindung an.",
            "Hallo, kurze Erinnerung: die {W} ist {R} fällig.",
            "Die {W} und die {W} liegen im Ordner, Danke!",
            "Der {J} prüft die {W} {R}.",
            "Betreff: {W} für {R}",
            "ACHTUNG: der Server ist {R} nicht erreichbar",
        ],
    },
    "es": {
        "chat": [
            "Hola, soy {F}. ¿me puedes llamar {R}?",
            "Hola {F}, ¿puedes mandar el contrato a {P} antes del {D}?",
            "mi compañera {P} viene {R}",
            "{P} <{E}> pregunta por la factura",
            "Por favor reenvía esto a {P} ({E})",
            "Dirección de entrega:\n{A}",
            "Nací el {D} en {C}",
            "{F} y {F} vienen {R} a la reunión",
            "¡Gracias {F}! hablamos {R}",
            "{P} de {O} llamó por la licencia de {X}",
            "Es {N} y vive en {C}, {K}",
            "Mi nueva dirección: {A1}",
            "Oye, soy {F}, mi número es {T}",
            "Cita con {O} {R} en {C}",
            "Estimada Sra. {S}, su cita del {D} está confirmada.",
            "Factura de {O} del {D} adjunta",
        ],
        "prose": [
            "{P} fue nombrado {J} de {O} el {D}.",
            "Nacida en {C} el {D}, {P} se incorporó a {O} tras la carrera.",
            "La correspondencia debe dirigirse a {P}, {A}.",
            "{P} y {P} fundaron {O} en {C} en {D}.",
            "La vista de {P} está prevista para el {D} en el juzgado de {C}.",
            "La delegación {N} encabezada por {P} llegó a {K}.",
        ],
        "neg": [
            "Nombre:\nApellidos:\nCorreo:\nDirección:",
            "Indique su DNI, fecha de nacimiento y número de cuenta.",
            "Hola, te recuerdo que el {W} vence {R}.",
            "Perdona, no puedo {R}, ¿quedamos {R}?",
            "El {J} revisa el {W} {R}.",
            "Asunto: {W} para {R}",
        ],
    },
    "it": {
        "chat": [
            "Ciao, sono {F}. mi richiami {R}?",
            "Ciao {F}, puoi mandare il contratto a {P} entro il {D}?",
            "il mio collega {P} arriva {R}",
            "{P} <{E}> chiede della fattura",
            "Per favore inoltra a {P} ({E})",
            "Indirizzo di consegna:\n{A}",
            "Sono nata il {D} a {C}",
            "{F} e {F} vengono {R} alla riunione",
            "Grazie {F}! ci sentiamo {R}",
            "{P} di {O} ha chiamato per la licenza {X}",
            "È {N} e vive a {C}, {K}",
            "Il mio nuovo indirizzo: {A1}",
            "Ehi, sono {F}, il mio numero è {T}",
            "Appuntamento con {O} {R} a {C}",
            "Gentile sig.ra {S}, il suo appuntamento del {D} è confermato.",
            "Fattura di {O} del {D} in allegato",
        ],
        "prose": [
            "{P} è stato nominato {J} di {O} il {D}.",
            "Nata a {C} il {D}, {P} è entrata in {O} dopo la laurea.",
            "La corrispondenza va indirizzata a {P}, {A}.",
            "{P} e {P} hanno fondato {O} a {C} nel {D}.",
            "L'udienza di {P} è fissata per il {D} presso il tribunale di {C}.",
            "La delegazione {N} guidata da {P} è arrivata in {K}.",
        ],
        "neg": [
            "Nome:\nCognome:\nEmail:\nIndirizzo:",
            "Inserisca codice fiscale, data di nascita e IBAN.",
            "Ciao, ti ricordo che la {W} scade {R}.",
            "Scusa, non posso {R}, ci vediamo {R}?",
            "Il {J} controlla il {W} {R}.",
            "Oggetto: {W} per {R}",
        ],
    },
    "nl": {
        "chat": [
            "Hoi, met {F}. kun je me {R} terugbellen?",
            "Hoi {F}, kun je het contract voor {D} naar {P} sturen?",
            "mijn collega {P} komt {R} langs",
            "{P} <{E}> vraagt naar de factuur",
            "Graag doorsturen naar {P} ({E})",
            "Afleveradres:\n{A}",
            "Ik ben geboren op {D} in {C}",
            "{F} en {F} komen {R} naar de vergadering",
            "Bedankt {F}! spreek je {R}",
            "{P} van {O} belde over de {X}-licentie",
            "Hij is {N} en woont in {C}, {K}",
            "Mijn nieuwe adres: {A1}",
            "Hey, {F} hier, mijn nummer is {T}",
            "Afspraak met {O} {R} in {C}",
            "Geachte mevrouw {S}, uw afspraak op {D} is bevestigd.",
            "Factuur van {O} van {D} in de bijlage",
        ],
        "prose": [
            "{P} werd op {D} benoemd tot {J} van {O}.",
            "{P}, geboren op {D} in {C}, trad na haar studie in dienst bij {O}.",
            "Correspondentie graag richten aan {P}, {A}.",
            "{P} en {P} richtten {O} op in {C} in {D}.",
            "De zitting van {P} staat gepland voor {D} bij de rechtbank in {C}.",
            "De {N} delegatie onder leiding van {P} kwam aan in {K}.",
        ],
        "neg": [
            "Naam:\nVoornaam:\nE-mail:\nAdres:",
            "Vul uw BSN, geboortedatum en rekeningnummer in.",
            "Hoi, even een herinnering: de {W} moet {R} betaald worden.",
            "Sorry, ik kan {R} niet, zullen we {R} afspreken?",
            "De {J} controleert de {W} {R}.",
            "Onderwerp: {W} voor {R}",
        ],
    },
}

# Context phrases, combined at random into clauses ("<before> {P} <after>"), so the model
# sees far more contexts than whole templates give. Each list is split like the templates.
_CONTEXT: dict[str, dict[str, list[str]]] = {
    "en": {
        "P": ["I spoke with", "please forward this to", "cc", "ask", "talked to", "signed by",
              "assigned to", "reported by", "thanks to", "call", "ping", "email", "loop in",
              "on behalf of", "the account of", "my manager", "my wife", "my brother",
              "the patient", "the tenant", "our client", "contact person:", "approved by",
              "written by", "sent by", "a message from", "the landlord,", "my neighbour"],
        "L": ["I live in", "shipped to", "she moved to", "the office in", "flying to",
              "based in", "the branch at", "deliver to", "born in", "we met in",
              "my address is", "the warehouse at", "send it to", "visiting"],
        "O": ["I work at", "an invoice from", "a contract with", "she joined", "the team at",
              "our supplier", "the bank", "a letter from", "my employer,", "a refund from",
              "the insurer", "I applied to"],
        "D": ["born on", "since", "on", "the contract ends on", "due", "dated", "until",
              "expires", "effective", "the deadline is", "signed on", "last seen"],
        "N": ["she is", "he identifies as", "the family is", "as a", "he is a"],
        "tail": ["", "", "", ".", "!", "?", " yesterday", " tomorrow", " about the invoice",
                 " asap", " and me", " last week", " for the meeting", ", thanks", " pls",
                 " right away", " as discussed", " if possible", " lol", " :)"],
    },
    "fr": {
        "P": ["j'ai parlé avec", "merci de transférer à", "cc", "demande à", "signé par",
              "attribué à", "signalé par", "grâce à", "appelle", "écris à", "de la part de",
              "le compte de", "mon chef", "ma femme", "mon frère", "le patient", "le locataire",
              "notre client", "interlocuteur :", "validé par", "envoyé par", "un message de"],
        "L": ["j'habite à", "livré à", "elle a déménagé à", "le bureau de", "je pars à",
              "basé à", "l'agence de", "à livrer au", "né à", "mon adresse :", "envoie-le à"],
        "O": ["je travaille chez", "une facture de", "un contrat avec", "elle a rejoint",
              "l'équipe de", "notre fournisseur", "la banque", "un courrier de", "mon employeur,"],
        "D": ["né le", "depuis le", "le", "le contrat se termine le", "échéance", "daté du",
              "jusqu'au", "expire le", "signé le"],
        "N": ["elle est", "il est", "la famille est", "en tant que"],
        "tail": ["", "", ".", " !", " ?", " hier", " demain", " pour la facture", " stp",
                 " merci", " dès que possible", " comme convenu", " svp", " bisous"],
    },
    "de": {
        "P": ["ich habe mit", "bitte weiterleiten an", "cc", "frag", "unterschrieben von",
              "zugewiesen an", "gemeldet von", "dank", "ruf", "schreib", "im Auftrag von",
              "das Konto von", "mein Chef", "meine Frau", "mein Bruder", "der Patient",
              "die Mieterin", "unser Kunde", "Ansprechpartner:", "genehmigt von",
              "gesendet von", "eine Nachricht von"],
        "L": ["ich wohne in", "geliefert nach", "sie ist nach", "das Büro in", "ich fliege nach",
              "mit Sitz in", "die Filiale in", "liefern an", "geboren in", "meine Adresse:",
              "schick es an"],
        "O": ["ich arbeite bei", "eine Rechnung von", "ein Vertrag mit", "sie ist bei",
              "das Team von", "unser Lieferant", "die Bank", "ein Brief von", "mein Arbeitgeber,"],
        "D": ["geboren am", "seit dem", "am", "der Vertrag endet am", "fällig am", "vom",
              "bis zum", "läuft ab am", "unterschrieben am"],
        "N": ["sie ist", "er ist", "die Familie ist", "als"],
        "tail": ["", "", ".", "!", "?", " gestern", " morgen", " wegen der Rechnung", " bitte",
                 " danke", " so schnell wie möglich", " wie besprochen", " gesprochen"],
    },
    "es": {
        "P": ["hablé con", "reenvía esto a", "cc", "pregunta a", "firmado por", "asignado a",
              "reportado por", "gracias a", "llama a", "escribe a", "en nombre de",
              "la cuenta de", "mi jefe", "mi mujer", "mi hermano", "el paciente",
              "la inquilina", "nuestro cliente", "contacto:", "aprobado por", "enviado por"],
        "L": ["vivo en", "enviado a", "se mudó a", "la oficina de", "vuelo a", "con sede en",
              "la sucursal de", "entregar en", "nacido en", "mi dirección es", "mándalo a"],
        "O": ["trabajo en", "una factura de", "un contrato con", "entró en", "el equipo de",
              "nuestro proveedor", "el banco", "una carta de", "mi empresa,"],
        "D": ["nacido el", "desde el", "el", "el contrato termina el", "vence el", "con fecha",
              "hasta el", "caduca el", "firmado el"],
        "N": ["es", "ella es", "la familia es", "como"],
        "tail": ["", "", ".", "!", "?", " ayer", " mañana", " por la factura", " porfa",
                 " gracias", " lo antes posible", " como hablamos", " jaja"],
    },
    "it": {
        "P": ["ho parlato con", "inoltra a", "cc", "chiedi a", "firmato da", "assegnato a",
              "segnalato da", "grazie a", "chiama", "scrivi a", "per conto di", "il conto di",
              "il mio capo", "mia moglie", "mio fratello", "il paziente", "l'inquilina",
              "il nostro cliente", "referente:", "approvato da", "inviato da"],
        "L": ["abito a", "spedito a", "si è trasferita a", "l'ufficio di", "volo per",
              "con sede a", "la filiale di", "consegnare a", "nato a", "il mio indirizzo è",
              "mandalo a"],
        "O": ["lavoro da", "una fattura di", "un contratto con", "è entrata in", "il team di",
              "il nostro fornitore", "la banca", "una lettera di", "il mio datore di lavoro,"],
        "D": ["nato il", "dal", "il", "il contratto scade il", "scadenza", "in data", "fino al",
              "scade il", "firmato il"],
        "N": ["è", "lei è", "la famiglia è", "come"],
        "tail": ["", "", ".", "!", "?", " ieri", " domani", " per la fattura", " grazie",
                 " appena puoi", " come d'accordo", " dai"],
    },
    "nl": {
        "P": ["ik heb gesproken met", "stuur dit door naar", "cc", "vraag", "getekend door",
              "toegewezen aan", "gemeld door", "dankzij", "bel", "mail", "namens",
              "de rekening van", "mijn baas", "mijn vrouw", "mijn broer", "de patiënt",
              "de huurder", "onze klant", "contactpersoon:", "goedgekeurd door", "verstuurd door"],
        "L": ["ik woon in", "verzonden naar", "ze is verhuisd naar", "het kantoor in",
              "ik vlieg naar", "gevestigd in", "het filiaal in", "bezorgen op", "geboren in",
              "mijn adres is", "stuur het naar"],
        "O": ["ik werk bij", "een factuur van", "een contract met", "ze werkt nu bij",
              "het team van", "onze leverancier", "de bank", "een brief van", "mijn werkgever,"],
        "D": ["geboren op", "sinds", "op", "het contract loopt af op", "vervalt op",
              "gedateerd", "tot", "verloopt op", "getekend op"],
        "N": ["ze is", "hij is", "de familie is", "als"],
        "tail": ["", "", ".", "!", "?", " gisteren", " morgen", " over de factuur", " aub",
                 " bedankt", " zo snel mogelijk", " zoals besproken", " hoor"],
    },
}  # fmt: skip

# --- kinds added in 0.2.0 ---------------------------------------------------------------
# Names in lists and invitations ("please add X to the call", "cc X and Y"), employers named
# without a legal suffix, and polite question openers that are capitalised but never names.
_MORE_CHAT = {
    "en": [
        "please add {P} to the call {R}",
        "cc {F} and {P}",
        "can you invite {P}, {P} and {F} to the review?",
        "adding {P} and {F} to this thread",
        "{F} works at {O} now, not at {O}",
        "looping in {P} from {O}",
        "attendees: {P}, {P}, {P}",
        "{P} joined {O} as {J} {R}",
        "please add {F} {S} and {F} to the invite list",
        "Could you send the slides to {F}? {F} is off {R}",
    ],
    "fr": [
        "merci d'ajouter {P} à l'appel {R}",
        "cc {F} et {P}",
        "pouvez-vous inviter {P}, {P} et {F} à la réunion ?",
        "j'ajoute {P} et {F} dans la boucle",
        "{F} travaille chez {O} depuis {D}",
        "participants : {P}, {P}, {P}",
        "Pouvez-vous envoyer le dossier à {P} {R} ?",
        "je mets {P} de {O} en copie",
        "{P} a rejoint {O} comme {J}",
        "Pourriez-vous ajouter {F} {S} à la liste ?",
    ],
    "de": [
        "bitte {P} zum Call {R} hinzufügen",
        "cc {F} und {P}",
        "können Sie {P}, {P} und {F} zum Termin einladen?",
        "ich nehme {P} und {F} in CC",
        "{F} arbeitet jetzt bei {O}, nicht mehr bei {O}",
        "Teilnehmer: {P}, {P}, {P}",
        "Könnten Sie die Unterlagen an {P} schicken?",
        "{P} von {O} ist {R} dabei",
        "{P} ist seit {D} bei {O}",
        "Würden Sie {F} {S} auf die Liste setzen?",
    ],
    "es": [
        "por favor añade a {P} a la llamada {R}",
        "cc {F} y {P}",
        "¿puedes invitar a {P}, {P} y {F} a la reunión?",
        "incluyo a {P} y a {F} en el hilo",
        "{F} trabaja en {O} desde {D}",
        "asistentes: {P}, {P}, {P}",
        "¿Podría enviar el contrato a {P} {R}?",
        "pongo en copia a {P} de {O}",
        "{P} entró en {O} como {J}",
        "¿Puede añadir a {F} {S} a la lista?",
    ],
    "it": [
        "per favore aggiungi {P} alla call {R}",
        "cc {F} e {P}",
        "puoi invitare {P}, {P} e {F} alla riunione?",
        "aggiungo {P} e {F} in copia",
        "{F} lavora da {O} dal {D}",
        "partecipanti: {P}, {P}, {P}",
        "Potrebbe inviare il contratto a {P} {R}?",
        "metto in copia {P} di {O}",
        "{P} è entrato in {O} come {J}",
        "Potresti aggiungere {F} {S} alla lista?",
    ],
    "nl": [
        "kun je {P} toevoegen aan het gesprek {R}",
        "cc {F} en {P}",
        "kunt u {P}, {P} en {F} uitnodigen voor de vergadering?",
        "ik zet {P} en {F} in de cc",
        "{F} werkt sinds {D} bij {O}",
        "deelnemers: {P}, {P}, {P}",
        "Kunt u het contract naar {P} sturen {R}?",
        "{P} van {O} schuift {R} aan",
        "{P} is bij {O} begonnen als {J}",
        "Zou je {F} {S} aan de lijst willen toevoegen?",
    ],
}
_MORE_NEG = {
    "en": ["{W} you check the {X} settings {R}?", "Could you please confirm {R}?",
           "Please Find Attached The Updated Schedule", "Would it be possible to move it {R}?"],
    "fr": ["{W} vérifier la {W} {R} ?", "Pouvez-vous confirmer {R} ?",
           "Pourriez-vous me rappeler {R} ?", "Veuillez Trouver Ci-Joint La Facture"],
    "de": ["{W} Sie die {W} {R} prüfen?", "Könnten Sie das bitte {R} bestätigen?",
           "Würden Sie mir {R} Bescheid geben?", "Anbei Die Aktualisierte Rechnung"],
    "es": ["¿{W} revisar la {W} {R}?", "¿Podría confirmarlo {R}?",
           "¿Puede llamarme {R}?", "Adjunto Encontrará La Factura"],
    "it": ["{W} controllare la {W} {R}?", "Potrebbe confermare {R}?",
           "Potresti richiamarmi {R}?", "In Allegato La Fattura Aggiornata"],
    "nl": ["{W} u de {W} {R} controleren?", "Kunt u dat {R} bevestigen?",
           "Zou u mij {R} kunnen terugbellen?", "In De Bijlage Vindt U De Factuur"],
}  # fmt: skip
_POLITE = {
    "en": ["Could", "Would", "Can", "Please", "Attached", "Regarding", "Hello", "Sorry"],
    "fr": ["Pouvez-vous", "Pourriez-vous", "Voulez-vous", "Peux-tu", "Veuillez", "Ci-joint"],
    "de": ["Können", "Könnten", "Würden", "Kannst", "Anbei", "Bezüglich", "Hallo"],
    "es": ["Podría", "Puede", "Podrías", "Adjunto", "Disculpe", "Quisiera"],
    "it": ["Potrebbe", "Potresti", "Può", "Vorrei", "Allego", "Gentile"],
    "nl": ["Kunt", "Kun", "Zou", "Wilt", "Bijgaand", "Beste"],
}  # fmt: skip
for _lang in LANGS:
    _TEMPLATES[_lang]["chat"].extend(_MORE_CHAT[_lang])
    _TEMPLATES[_lang]["neg"].extend(_MORE_NEG[_lang])
    _COMMON_WORDS[_lang].extend(_POLITE[_lang])
    _CONTEXT[_lang]["P"].extend(("cc", "please add", "invite", "add"))
_ORG_SECTORS = [
    "Logistics", "Analytics", "Systems", "Labs", "Bau", "Technik", "Software", "Digital",
    "Pharma", "Energie", "Solutions", "Media", "Foods", "Capital", "Telecom", "Transport",
    "Immobilien", "Consultancy", "Robotics", "Textiles",
]  # fmt: skip
# Name parts of cultures whose names Faker does not romanise (written for this generator).
_ARABIC_GIVEN = [
    "Omar", "Khalid", "Yusuf", "Layla", "Amina", "Tariq", "Samira", "Hassan", "Nadia",
    "Karim", "Rania", "Walid", "Faisal", "Huda", "Ibrahim", "Salma", "Majid", "Zainab",
]  # fmt: skip
_ARABIC_FAMILY = [
    "Rashidi", "Masri", "Hakim", "Farsi", "Zahrani", "Hashimi", "Amiri", "Qasim", "Sayed",
    "Khatib", "Najjar", "Haddad", "Mansour", "Tamimi", "Saadi", "Jaber",
]  # fmt: skip
_HU_STREET = ["utca", "út", "tér", "körút", "sor", "köz"]
_FI_STREET = ["katu", "kuja", "tie", "polku", "rinne", "kaari"]
_EE_STREET = ["tn", "tänav", "mnt", "maantee", "pst", "puiestee"]
_EE_PLACES = ["Tallinn", "Tartu", "Pärnu", "Narva", "Viljandi", "Rakvere", "Kuressaare",
              "Haapsalu", "Jõhvi", "Valga", "Paide", "Keila"]  # fmt: skip
_JP_PREFECTURES = [
    "Tokyo", "Osaka", "Kyoto", "Hokkaido", "Aichi", "Fukuoka", "Kanagawa", "Hyogo", "Saitama",
    "Chiba", "Hiroshima", "Miyagi", "Nagano", "Okinawa",
]  # fmt: skip

# Salutations and sign-offs: capitalised, name-shaped, never names.
_COURTESY = {
    "en": ["Kind regards", "Best wishes", "Yours sincerely", "Dear Sir or Madam",
           "To whom it may concern", "Many thanks", "Warm regards", "Good morning team"],
    "fr": ["Cordialement", "Bien à vous", "Madame, Monsieur,", "Bonne journée",
           "Veuillez agréer mes salutations distinguées", "Bien cordialement", "Salut à tous"],
    "de": ["Sehr geehrte Damen und Herren", "Mit freundlichen Grüßen", "Viele Grüße",
           "Liebe Grüße", "Freundliche Grüße", "Hallo zusammen", "Beste Grüße"],
    "es": ["Estimados señores", "Un saludo", "Atentamente", "Saludos cordiales",
           "Buenos días a todos", "Muchas gracias", "Un abrazo"],
    "it": ["Gentili signori", "Cordiali saluti", "Distinti saluti", "Buongiorno a tutti",
           "Un saluto", "Grazie mille", "A presto"],
    "nl": ["Geachte heer, mevrouw", "Met vriendelijke groet", "Groetjes", "Hallo allemaal",
           "Hartelijke groet", "Alvast bedankt", "Fijne dag"],
}  # fmt: skip
# Faker's locale for random sentences of ordinary words in each language (negatives).
_LOREM_LOCALE = {
    "en": "en_US", "fr": "fr_FR", "de": "de_DE", "es": "es_ES", "it": "it_IT", "nl": "nl_NL"
}  # fmt: skip

# Structural templates, in every language: headers, signatures, forms.
_FORM_LABELS = {
    "en": ("Name", "Email", "Address", "Date of birth", "Company", "Phone"),
    "fr": ("Nom", "Courriel", "Adresse", "Date de naissance", "Société", "Téléphone"),
    "de": ("Name", "E-Mail", "Adresse", "Geburtsdatum", "Firma", "Telefon"),
    "es": ("Nombre", "Correo", "Dirección", "Fecha de nacimiento", "Empresa", "Teléfono"),
    "it": ("Nome", "Email", "Indirizzo", "Data di nascita", "Azienda", "Telefono"),
    "nl": ("Naam", "E-mail", "Adres", "Geboortedatum", "Bedrijf", "Telefoon"),
}
_MORE_LABELS = [
    "Username", "Password", "Expiry", "Tel", "Cel", "Phone", "Mobile", "Ref", "IBAN", "CVV",
    "Order ID", "Ticket", "Status", "Priority", "Customer ID", "Account", "Login", "PIN",
    "Passwort", "Benutzername", "Mot de passe", "Identifiant", "Contraseña", "Usuario",
    "Gebruikersnaam", "Wachtwoord", "Utente", "Scadenza", "Bestellnummer", "Kundennummer",
    "Social Security Number", "Date of Birth", "Email Address", "Full Name", "Surname",
]  # fmt: skip
# Code and log lines: identifiers, timestamps and class names that are not PII.
_CODE_LINES = [
    "def get_user(user_id):\n    return db.query(User).filter(User.id == user_id).first()",
    "2025-03-19T11:02:44.118Z ERROR PaymentService timeout after 30s (retry=3)",
    "[2024-11-02 08:14:55] WARN AuthController: token expired for session 8f3a",
    "Traceback (most recent call last):\n  File \"app.py\", line 42, in main\nKeyError: 'Name'",
    "SELECT FirstName, LastName FROM Customers WHERE Country = ?",
    "const Order = require('./models/Order'); await Order.findById(orderId)",
    "INFO  Starting Application v2.3.1 on host build-7 with PID 4412",
    "git commit -m \"Fix Invoice PDF export\" && git push origin main",
    "10.0.0.7 - - [10/Mar/2025:13:55:36 +0000] \"GET /api/Users HTTP/1.1\" 200",
    "class CustomerAddress(BaseModel):\n    street: str\n    city: str",
]  # fmt: skip

_STRUCTURES = [
    "From: {P} <{E}>\nTo: {P} <{E}>\nSubject: {W}",
    "{P}<{E}>",
    "{P} | {J} | {O}\n{A}\n{T}",
    "--\n{P}\n{J}, {O}\n{A}",
    "{L0}: {P}\n{L1}: {E}\n{L2}: {A1}\n{L3}: {D}",
    "{L0}: {P}\n{L4}: {O}\n{L5}: {T}",
    "{L0}:\n{L1}:\n{L2}:",
    "{P}\n{A}",
    "cc: {P}, {P}, {F} {S}",
    "{S}, {F} - {D} - {C}",
    "{H} {S} called about the invoice",
    "{H} {P}\n{A}",
    "user {U} cannot log in since {R}",
    "{G}: {U}\n{G}: ********",
    "{G}:\n{G}:\n{G}:",
    "{Z}",
    "{Z}\n{H} {S}, please check this {R}",
    "{Y}",
    "{G}: {T} / {G}: {D}",
]

# --- kinds added in 0.2.0, second part ----------------------------------------------------
# Introductions: only the name is the entity, never the "I'm" / "je m'appelle" before it.
_INTRO = {
    "en": ["I'm {P}", "Hi, I'm {P}.", "Hi, I'm {F}, the new {J}", "hello, I'm {F} from {O}",
           "this is {F}", "Hi, this is {P} from {O}.", "Hey, it's {F}", "My name is {P}.",
           "I am {P}, your {J}.", "Hi all, I'm {F} and I'll cover for {F} {R}",
           "I'm {F} {S}, I live in {C}.", "Hi, I'm {P}. You can reach me at {E} or {T}.",
           "Good morning, I'm {F}. I'm calling about order 4471.", "Hello! I'm {P} :)",
           "hi im {F}", "Hi there, {F} here", "I'm {F}, {F}'s sister",
           "Hi, I'm {P} and I'd like to cancel my subscription",
           "my name is {P} and I work at {O}", "Hello, my name is {F} and I have a question."],
    "fr": ["je m'appelle {P}", "Bonjour, je suis {P}.", "moi c'est {F}", "c'est {F} !",
           "Bonjour, je m'appelle {F} et j'habite à {C}.", "Je suis {P}, {J} chez {O}.",
           "Salut, c'est {F} de la compta", "Bonjour, ici {P}.", "je suis {F}, la sœur de {F}",
           "Bonjour, je suis {P}. Mon mail : {E}",
           "Bonjour, je m'appelle {P} et j'ai une question.",
           "je m'appelle {F} et je travaille chez {O}"],
    "de": ["ich bin {P}", "Hallo, ich bin {F}.", "Mein Name ist {P}.", "hier ist {F}",
           "ich heiße {P}", "Guten Tag, ich bin {P} von {O}.", "Hallo, {F} hier.",
           "Ich bin {F} und wohne in {C}.", "Hi, ich bin {F}, die neue {J}",
           "Moin, ich bin {P}. Erreichbar unter {E}",
           "Hallo, ich heiße {F} und arbeite bei {O}.", "ich heiße {P} und wohne in {C}",
           "Guten Morgen, ich heiße {P}, Kundennummer 5521."],
    "es": ["soy {P}", "Hola, soy {F}.", "me llamo {P}", "Mi nombre es {P}.",
           "Buenas, soy {P} de {O}.", "Hola, me llamo {F} y vivo en {C}.",
           "soy {F}, la hermana de {F}", "Hola, soy {P}. Mi correo es {E}",
           "Buenos días, le habla {P}.", "qué tal, soy {F}",
           "Hola, me llamo {P} y tengo una duda.", "me llamo {F} y trabajo en {O}"],
    "it": ["sono {P}", "Ciao, sono {F}.", "mi chiamo {P}", "Il mio nome è {P}.",
           "Buongiorno, sono {P} di {O}.", "Ciao, mi chiamo {F} e abito a {C}.",
           "sono {F}, la sorella di {F}", "Salve, sono {P}. La mia mail è {E}",
           "Buonasera, qui è {P}.", "ciao a tutti sono {F}",
           "Buongiorno, mi chiamo {P} e ho una domanda.", "mi chiamo {F} e lavoro da {O}"],
    "nl": ["ik ben {P}", "Hoi, ik ben {F}.", "mijn naam is {P}", "ik heet {P}",
           "Goedemiddag, u spreekt met {P} van {O}.", "Hoi, ik ben {F} en ik woon in {C}.",
           "ik ben {F}, de zus van {F}", "Hallo, ik ben {P}. Mijn mail is {E}",
           "Met {F}, ik bel over de factuur.", "hey ik ben {F}",
           "Hallo, ik heet {P} en ik heb een vraag.", "ik heet {F} en ik werk bij {O}"],
}  # fmt: skip

# A name followed by a parenthesis: "{P} (EMP-1234, ada@x.com) works on …"; {I} is a code.
_PAREN = {
    "en": ["{P} ({I}, {E}) works on {W}.", "{P} ({I}) left the company {R}.",
           "{P} (e-mail {E}) will take over.", "{P} ({J}, {O}) joins the call.",
           "Please add {P} ({E}) to the list.", "{P} (she/her) leads the {X} migration.",
           "{P} (ext. {I}) is on leave until {D}.", "Owner: {P} ({I})"],
    "fr": ["{P} ({I}, {E}) travaille sur le dossier.", "{P} ({J} chez {O}) sera présent.",
           "{P} (courriel : {E}) reprend le dossier.", "{P} ({I}) a quitté l'entreprise."],
    "de": ["{P} ({I}, {E}) arbeitet am Projekt.", "{P} ({J}, {O}) ist dabei.",
           "{P} (E-Mail: {E}) übernimmt ab {D}.", "{P} ({I}) ist nicht mehr bei uns."],
    "es": ["{P} ({I}, {E}) lleva el proyecto.", "{P} ({J} en {O}) asistirá.",
           "{P} (correo: {E}) se encarga desde el {D}.", "{P} ({I}) ya no trabaja aquí."],
    "it": ["{P} ({I}, {E}) segue il progetto.", "{P} ({J} di {O}) partecipa.",
           "{P} (email: {E}) subentra dal {D}.", "{P} ({I}) non lavora più qui."],
    "nl": ["{P} ({I}, {E}) werkt aan het project.", "{P} ({J} bij {O}) is erbij.",
           "{P} (e-mail: {E}) neemt het over vanaf {D}.", "{P} ({I}) is vertrokken."],
}  # fmt: skip

# A full name at the start of a sentence, and "<place> with <name>" (two separate spans).
_START = {
    "en": ["{P} said the budget was approved.", "{P} flew to {C} with {P}.",
           "Yesterday {P} flew to {C} with {P}.", "{P} met {P} in {C} on {D}.",
           "{P} confirmed the order {R}.", "{P} will present the results.",
           "we spent a week in {C} with {F}", "dinner in {C} with {F} and {F} {R}",
           "{P} moved to {C} with her husband.", "On {D} {P} visited {C} with {P}.",
           "{F} {S} wrote back {R}.", "{P} is travelling to {C} with {F}.",
           "Last week {P} met {P} in {C}.", "This morning {P} called about the refund.",
           "Yesterday {P} signed the lease in {C}.", "On Monday {P} flew to {C}.",
           "Yesterday {F} {S} flew to {C} with {F} {S}.", "Today {P} starts as {J}."],
    "fr": ["{P} a dit que le budget était validé.", "{P} est parti à {C} avec {P}.",
           "Hier, {P} a rencontré {P} à {C}.", "une semaine à {C} avec {F}",
           "{P} présentera les résultats {R}.", "{P} a confirmé la commande."],
    "de": ["{P} sagte, das Budget sei genehmigt.", "{P} flog mit {P} nach {C}.",
           "Gestern traf {P} {P} in {C}.", "eine Woche in {C} mit {F}",
           "{P} stellt {R} die Ergebnisse vor.", "{P} hat die Bestellung bestätigt."],
    "es": ["{P} dijo que el presupuesto estaba aprobado.", "{P} viajó a {C} con {P}.",
           "Ayer {P} se reunió con {P} en {C}.", "una semana en {C} con {F}",
           "{P} presentará los resultados {R}.", "{P} confirmó el pedido."],
    "it": ["{P} ha detto che il budget è approvato.", "{P} è volato a {C} con {P}.",
           "Ieri {P} ha incontrato {P} a {C}.", "una settimana a {C} con {F}",
           "{P} presenterà i risultati {R}.", "{P} ha confermato l'ordine."],
    "nl": ["{P} zei dat het budget is goedgekeurd.", "{P} vloog met {P} naar {C}.",
           "Gisteren ontmoette {P} {P} in {C}.", "een week in {C} met {F}",
           "{P} presenteert {R} de resultaten.", "{P} heeft de bestelling bevestigd."],
}  # fmt: skip

# Names in the middle of a sentence in forms the other templates lack: a possessive, a
# name and its role in apposition, a name at the end after a dash, routes with codes.
_APPOSITION = {
    "en": ["can you send {P}'s CV to {F}?", "{F}'s flight lands at 6", "I booked {S}'s room",
           "call back {F}, the owner, about the lease", "any questions, ask {F} on ext 4410",
           "see you there. \u2013 {P}", "{P} relocating from {C} to {C} in {D}",
           "{C} ({I}) → {C} ({I})", "contact {P} +44 20 7946 0000", "tenant {P}, rent due {R}",
           "payment received from {P}, ref 2291", "as agreed with {P} (legal)"],
    "fr": ["tu peux envoyer le CV de {P} à {F} ?", "appelle {F}, la gérante, pour le bail",
           "à bientôt \u2013 {P}", "virement reçu de {P}", "{P} déménage de {C} à {C}",
           "note de frais {P} : taxi {V} → {V}", "en cas de question, voir avec {F}"],
    "de": ["schick bitte den Lebenslauf von {P} an {F}", "bei Fragen {F} anrufen",
           "bis dann \u2013 {P}", "Zahlungseingang von {P}", "{P} zieht von {C} nach {C}",
           "Reisekosten {P}: Taxi {V} → {V}", "Rückfragen an {F} aus der Buchhaltung"],
    "es": ["¿puedes mandar el CV de {P} a {F}?", "me atendió {F}, la dueña es {P}",
           "un saludo \u2013 {P}", "transferencia recibida de {P}", "{P} se muda de {C} a {C}",
           "gastos de {P}: taxi {V} → {V}", "cualquier duda, pregunta a {F}"],
    "it": ["puoi mandare il CV di {P} a {F}?", "mi ha risposto {F}, il titolare è {P}",
           "a presto \u2013 {P}", "bonifico ricevuto da {P}", "{P} si trasferisce da {C} a {C}",
           "nota spese {P}: taxi {V} → {V}", "per domande chiedi a {F}"],
    "nl": ["kun je het cv van {P} naar {F} sturen?", "bel {F}, de eigenaar, over de huur",
           "tot snel \u2013 {P}", "betaling ontvangen van {P}", "{P} verhuist van {C} naar {C}",
           "declaratie {P}: taxi {V} → {V}", "vragen? bel {F}"],
}  # fmt: skip

# Sign-offs: a first name alone on the line after a closing word.
_SIGNOFF = {
    "en": ["Thanks,\n{F}", "Cheers,\n{F}", "— {F}", "-- {F}", "Best,\n{F}", "ta {F}",
           "thx\n{F}", "Regards,\n{P}", "Love,\n{F} x", "See you,\n{F}"],
    "fr": ["Merci,\n{F}", "Bisous,\n{F}", "— {F}", "Cordialement,\n{P}", "A+\n{F}",
           "Bonne journée,\n{F}"],
    "de": ["Danke,\n{F}", "Grüße\n{F}", "LG {F}", "VG\n{P}", "— {F}", "Bis dann,\n{F}"],
    "es": ["Gracias,\n{F}", "Abrazo,\n{F}", "Un saludo,\n{P}", "— {F}", "Besos,\n{F}",
           "Nos vemos,\n{F}"],
    "it": ["Grazie,\n{F}", "Un abbraccio,\n{F}", "Saluti,\n{P}", "— {F}", "Baci\n{F}",
           "A presto,\n{F}"],
    "nl": ["Bedankt,\n{F}", "Groetjes,\n{F}", "Gr. {F}", "— {F}", "Mvg,\n{P}",
           "Tot later,\n{F}"],
}  # fmt: skip

# Roles and family words before a name (never part of it).
_ROLES = {
    "en": ["cardholder", "payee", "owner", "account holder", "beneficiary", "assignee",
           "guest", "driver", "applicant", "tenant", "Mr", "Mrs", "Dr", "Ms"],
    "fr": ["titulaire", "bénéficiaire", "propriétaire", "locataire", "famille", "Mme",
           "M.", "Dr", "client", "invité"],
    "de": ["Käufer", "Karteninhaber", "Gast", "Mieter", "Inhaberin", "frau", "herr",
           "familie", "Familie", "Dr.", "Empfänger"],
    "es": ["Titular", "beneficiario", "propietaria", "inquilino", "la familia", "Sr.",
           "Sra.", "Dra.", "huésped", "cliente"],
    "it": ["titolare", "beneficiario", "proprietaria", "inquilino", "famiglia", "sig.",
           "sig.ra", "dott.", "ospite", "cliente"],
    "nl": ["kaarthouder", "begunstigde", "eigenaar", "huurder", "familie", "dhr.",
           "mevr.", "gast", "klant", "aanvrager"],
}  # fmt: skip
_ROLE_TEMPLATES = ["{r} {P}", "{r}: {P}", "{r} {S}", "{r} {F}", "{r} {P} {R}",
                   "{r} {S} called", "the {r} is {P}"]  # fmt: skip

# Lower-case chat (typed on a phone): the whole message is lower-cased after filling.
_LOWCHAT = {
    "en": ["i met {P} at the conference", "he's from {C}", "she lives in {C} now",
           "just talked to {F} lol", "tell {F} i said hi", "{F} is in {C} till {R}",
           "omg {F} {S} is back", "ask {F} about it", "we drove from {C} to {C}"],
    "fr": ["slt c {F}", "jsuis à {C} avec {F}", "dis à {F} que c bon", "il vient de {C}",
           "merci {P} !!", "on se voit chez {F} {R}"],
    "de": ["danke {P}", "kurz vor {C}", "bin grad in {C}", "sag {F} bescheid",
           "{F} kommt aus {C}", "hab mit {P} gesprochen"],
    "es": ["gracias {P}", "estoy en {C} con {F}", "dile a {F} que ya está", "es de {C}",
           "hablé con {P} ayer", "q tal {F}"],
    "it": ["grazie {P}", "sono a {C} con {F}", "dì a {F} che va bene", "è di {C}",
           "ho sentito {P} ieri", "ciao {F} come va"],
    "nl": ["dank je {P}", "ben in {C} met {F}", "zeg tegen {F} dat het goed is",
           "hij komt uit {C}", "heb {P} gesproken", "hoi {F} alles goed"],
}  # fmt: skip

# Places alone after prepositions and in routes; {V} is a city or a landmark of one.
_PLACES = {
    "en": ["from {C}", "I'm flying out of {V} {R}", "taxi {V} → {V}", "{V} → {V}",
           "back in {C} {R}", "the train to {C} is late", "pick-up at {V}",
           "she commutes from {C} to {C}", "he's from {C}, {K}"],
    "fr": ["depuis {C}", "taxi {V} → {V}", "je rentre à {C} {R}", "en route pour {V}",
           "il vient de {C}", "trajet {C} - {C}"],
    "de": ["aus {C}", "kurz vor {C}", "Fahrt {V} → {V}", "ich bin {R} in {C}",
           "Zug nach {C} fällt aus", "Abholung am {V}"],
    "es": ["desde {C}", "taxi {V} → {V}", "vuelvo a {C} {R}", "de camino a {V}",
           "es de {C}", "trayecto {C} - {C}"],
    "it": ["da {C}", "taxi {V} → {V}", "torno a {C} {R}", "in viaggio verso {V}",
           "è di {C}", "tratta {C} - {C}"],
    "nl": ["uit {C}", "taxi {V} → {V}", "ik ben {R} in {C}", "onderweg naar {V}",
           "hij komt uit {C}", "rit {C} - {C}"],
}  # fmt: skip
_LANDMARKS = ["{c} Airport", "{c} Central Station", "Gare de {c}", "Aéroport de {c}",
              "{c} Hbf", "Flughafen {c}", "Estación de {c}", "Aeropuerto de {c}",
              "Stazione di {c}", "Aeroporto di {c}", "{c} Centraal", "Station {c}"]  # fmt: skip

# Structured text: keys of JSON, YAML, CSV headers and forms in each language.
_NAME_KEYS = {
    "en": ["name", "customer", "contact", "owner", "assignee", "author", "full_name"],
    "fr": ["nom", "client", "contact", "titulaire", "nom_complet"],
    "de": ["name", "kunde", "kontakt", "ansprechpartner", "inhaber"],
    "es": ["nombre", "cliente", "contacto", "titular", "nombre_completo"],
    "it": ["nome", "cliente", "contatto", "titolare", "referente"],
    "nl": ["naam", "klant", "contactpersoon", "eigenaar", "aanvrager"],
}  # fmt: skip
_CITY_KEYS = {"en": "city", "fr": "ville", "de": "stadt", "es": "ciudad", "it": "citta",
              "nl": "plaats"}  # fmt: skip
_CAPS_KEYS = {
    "en": ["CONTACT", "NAME", "CUSTOMER", "APPLICANT", "PASSENGER", "ACCOUNT HOLDER"],
    "fr": ["NOM", "CLIENT", "DEMANDEUR", "TITULAIRE", "NOM ET PRÉNOM"],
    "de": ["NAME", "KUNDE", "ANTRAGSTELLER", "INHABER", "NACHNAME, VORNAME"],
    "es": ["NOMBRE", "SOLICITANTE", "TITULAR", "CLIENTE", "APELLIDOS Y NOMBRE"],
    "it": ["NOME", "COGNOME E NOME", "RICHIEDENTE", "TITOLARE", "CLIENTE"],
    "nl": ["NAAM", "AANVRAGER", "KLANT", "CONTACTPERSOON", "ACHTERNAAM, VOORNAAM"],
}  # fmt: skip
_CAPS_CITY_KEYS = ["CITY", "VILLE", "ORT", "CIUDAD", "LOCALIDAD", "CITTÀ", "PLAATS", "DOMICILIO"]

# Chat and config text with no PII: cues without a name, ordinary words of every language
# that are capitalised or look like names, and keys of configuration files.
_NEG_PHRASES = {
    "en": ["kindly revert at the earliest", "she lives in the suburbs", "mobile number changed",
           "file is registered", "have a look at the copy", "can we jump on a call",
           "churn is flat this quarter", "Registered office moved", "Please Revert",
           "copy that", "Mobile app keeps crashing", "look at the logs pls",
           "sales are flat, churn is up", "Filed under Legal", "noted with thanks",
           "Kindly Find Attached", "lives matter more than deadlines", "Sounds good to me",
           "the Owner field is empty", "Cardholder name missing", "Payee details updated",
           "Guest wifi is down", "Driver update failed", "Sign Off pending",
           "status: Approved", "Priority: High", "Reviewed By: pending"],
    "fr": ["merci de revenir vers moi", "le Dossier est complet", "Avisez-moi svp",
           "Pièce jointe manquante", "je regarde ça", "Carte bancaire refusée",
           "le Titulaire du compte doit signer", "Mot de passe oublié", "Cabinet fermé lundi",
           "Rappel : Relevé de compte", "Domicile ou bureau ?", "Bon courage !"],
    "de": ["die Kreditkarte wurde abgelehnt", "der Rechtsanwalt meldet sich", "Passwort vergessen",
           "die Hebebühne ist defekt", "die Praxis ist geschlossen", "Kontoauszug anbei",
           "Der Vermieter antwortet nicht", "Lieferschein fehlt", "Mahnung erhalten",
           "Schlüsselübergabe am Empfang", "Der Käufer hat bezahlt", "Gast WLAN geht nicht",
           "Steuerberater hat angerufen", "Kfz-Werkstatt hat Termin frei"],
    "es": ["Domicilio: ver arriba", "avisad cuando llegue", "Tarjeta caducada",
           "el Titular debe firmar", "Contraseña olvidada", "Consulta cerrada el lunes",
           "Extracto adjunto", "Quedo atento", "Recibo pendiente", "Un abrazo fuerte"],
    "it": ["Domicilio: vedi sopra", "fatemi sapere", "Carta scaduta",
           "il Titolare deve firmare", "Password dimenticata", "Studio chiuso lunedì",
           "Estratto conto allegato", "Resto in attesa", "Ricevuta mancante", "Buon lavoro"],
    "nl": ["Woonplaats: zie boven", "laat maar weten", "Creditcard verlopen",
           "de Rekeninghouder moet tekenen", "Wachtwoord vergeten", "Praktijk dicht op maandag",
           "Afschrift bijgevoegd", "Hoor graag van je", "Bon ontbreekt", "Succes ermee"],
}  # fmt: skip
_CONFIG_LINES = [
    "kind: Secret", "apiVersion: v1", "metadata:\n  name: db-credentials\n  namespace: payments",
    "Authorization: Basic", "Content-Type: application/json", "Accept-Language: fr-FR",
    "replicas: 3", "image: registry.local/api:2.4.1", "restartPolicy: Always",
    "[core]\n\tautocrlf = input", "LOG_LEVEL=debug", "X-Request-Id: 7f3a9c",
    "ERROR Worker failed: Connection refused", "WARN Retrying in 30s", "Host: api.internal",
    "server:\n  port: 8080", "User-Agent: Mozilla/5.0", "Cache-Control: no-cache",
]  # fmt: skip

# Ordinary words of work and daily life in each language (written for this generator; with
# Faker's word lists they fill the "negative twins" below). German nouns are capitalised.
_OWN_WORDS = {
    "en": """signup screenshot laptop accounts deploy curl shortly patience renewal fortnight
        starter invoice backlog rollout headcount payroll onboarding offboarding refund
        receipt parcel courier warehouse checkout login logout password reset token webhook
        endpoint staging production rollback hotfix ticket escalation handover timesheet
        overtime expenses mileage voucher coupon discount subscription upgrade downgrade
        outage latency dashboard spreadsheet template draft agenda minutes sprint standup
        retro roadmap milestone deadline budget forecast quarter churn revenue margin
        pipeline lead prospect quote proposal contract amendment signature witness notary
        appointment referral prescription dosage allergy surgery ward clinic pharmacy
        insurance claim premium deductible policy mortgage lease deposit landlord tenancy
        utilities broadband router printer toner charger headset keyboard monitor badge
        lanyard locker parking shuttle boarding gate baggage luggage itinerary layover
        upgrade check-in visa permit licence registration renewal paperwork notes memo
        reminder follow-up feedback survey review approval sign-off kickoff offsite
        mobile file look copy registered flat revert kindly noted shout relocating""",
    "fr": """facture devis commande livraison colis relance rappel dossier pièce justificatif
        réunion compte-rendu ordre du jour planning congés arrêt maladie mutuelle
        remboursement virement prélèvement échéance loyer bail caution quittance agence
        guichet carte code identifiant mot de passe connexion messagerie imprimante
        ordinateur portable chargeur badge parking navette bagage embarquement retard
        correspondance billet réservation annulation avoir bon de commande fournisseur
        stock entrepôt inventaire trésorerie comptabilité paie bulletin contrat avenant
        signature tampon rendez-vous ordonnance pharmacie cabinet mairie préfecture
        déménagement travaux devis chantier plombier serrure clé sinistre assurance
        franchise expertise constat recommandé courrier accusé réception""",
    "de": """Kreditkarte Rechtsanwalt Passwort Hebebühne Praxis Teeküche Flur Lager Maske
        Kundendaten Anreise Abreise Spätanreise Kundennummer Personalnummer Betriebsrat
        Budget Kernzeit Steuernummer Reisepass Bewerbungsmappe Ersatzschlüssel Mitarbeiter
        Strecke Datum Anschrift Antrag Elternzeit Urlaubsantrag Krankmeldung Gehaltsabrechnung
        Überweisung Lastschrift Kontoauszug Rechnung Mahnung Gutschrift Lieferschein
        Bestellung Angebot Auftrag Vertrag Kündigung Nachtrag Unterschrift Stempel Termin
        Besprechung Protokoll Tagesordnung Dienstreise Spesen Fahrtkosten Parkplatz
        Drucker Laptop Ladegerät Bildschirm Tastatur Zugang Benutzerkonto Kennwort Freigabe
        Schlüssel Briefkasten Hausmeister Heizung Nebenkosten Kaution Mietvertrag
        Versicherung Schaden Gutachten Werkstatt Reifenwechsel Inspektion Führerschein
        Zulassung Finanzamt Steuerbescheid Einspruch Frist Nachweis Bescheinigung Zeugnis
        Schicht Dienstplan Überstunden Arbeitszeit Homeoffice Kantine Empfang Poststelle
        Buchhaltung Vertrieb Einkauf Lieferung Paket Sendung Zustellung Abholung Rücksendung
        Ausweis Geburtsurkunde Formular Unterlagen Ordner Laufwerk Server Datenbank""",
    "es": """factura presupuesto pedido entrega paquete recordatorio expediente justificante
        reunión acta agenda vacaciones baja nómina reembolso transferencia recibo domicilio
        alquiler fianza contrato firma sello cita receta farmacia consulta seguro siniestro
        tarjeta contraseña usuario acceso impresora portátil cargador aparcamiento equipaje
        embarque retraso billete reserva anulación proveedor almacén inventario tesorería
        contabilidad gestoría ayuntamiento empadronamiento mudanza obra fontanero llave
        certificado solicitud plazo justificante avisad avisadme quedamos porfa""",
    "it": """fattura preventivo ordine consegna pacco sollecito pratica ricevuta riunione
        verbale ferie malattia busta paga rimborso bonifico domicilio affitto caparra
        contratto firma timbro appuntamento ricetta farmacia studio assicurazione sinistro
        carta password utente accesso stampante portatile caricatore parcheggio bagaglio
        imbarco ritardo biglietto prenotazione annullamento fornitore magazzino inventario
        contabilità commercialista comune anagrafe trasloco lavori idraulico chiave
        certificato domanda scadenza allegato fatemi sapere""",
    "nl": """factuur offerte bestelling levering pakket herinnering dossier bon vergadering
        notulen agenda verlof ziekmelding loonstrook terugbetaling overschrijving
        woonplaats huur borg contract handtekening afspraak recept apotheek praktijk
        verzekering schade pas wachtwoord gebruiker toegang printer laptop oplader
        parkeerplaats bagage instappen vertraging kaartje reservering annulering
        leverancier magazijn voorraad boekhouding gemeente verhuizing verbouwing
        loodgieter sleutel verklaring aanvraag termijn bijlage laat maar weten""",
}  # fmt: skip
# Inflected verbs and participles (the word lists hold infinitives), written for this
# generator: "she wants", "wurde abgerechnet", "vous trouverez".
_OWN_VERBS = {
    "en": """wants asks comes says keeps leaked uploaded judge got jams restrict alleges claims
        prefers observes happens logging replaced approved cancelled booked rebooked moved
        shipped returned declined refunded signed attached forwarded escalated resolved
        reopened merged deployed crashed froze expired renewed paid underpaid overpaid""",
    "fr": """trouverez serai sera corrige estime annulée déposé rembourser envoyé reçu signé
        validé transmis relancé prévu reporté annulé payé bloqué oublié perdu livré
        reçue envoyée signée réglée""",
    "de": """geschätzt ausräumen moderiert abgerechnet entschieden verwenden bearbeiten
        weitergeleitet erhalten unterschrieben bezahlt storniert verschoben abgesagt
        gebucht geliefert zurückgeschickt gesperrt vergessen gelöscht gemeldet""",
    "es": """arregla certificamos conviene tarda llamadla avisadme quedamos pague enviado
        recibido firmado pagado cancelado aplazado bloqueado olvidado perdido entregado
        retenido devuelve""",
    "it": """dichiara manda funziona portate lasciate trattati vanno avvisano inviato
        ricevuto firmato pagato annullato rinviato bloccato dimenticato perso consegnato""",
    "nl": """vergeet kijk verplaatst gekopieerd geblokkeerd werkt belt verstuurd ontvangen
        getekend betaald geannuleerd uitgesteld vergeten verloren bezorgd""",
}  # fmt: skip
# Commands, code fences and API lines seen in chat (no PII).
_TECH_NEG = [
    "```json", "```bash", "```", "curl -u deploy:$TOKEN -X POST $API_URL/v2/export",
    "returns 401 Unauthorized", "deploy fails on step build", "npm run build && npm test",
    "kubectl get pods -n staging", "docker compose up -d", "pip install -r requirements.txt",
    "SELECT * FROM orders WHERE status = 'open';", "GET /v1/invoices?limit=50 -> 200",
    "export MAX_RETRIES=5", "process.env.API_KEY is undefined", "TODO: move to vault",
    "ssh deploy@build-server", "git checkout -b fix/login-timeout", "chmod 600 ~/.ssh/config",
]  # fmt: skip

# How often a clause is its cue alone, a template of the second part its negative twin, and
# how often each kind of the second part comes (intro, paren, start, signoff, role, low,
# places, struct, neg, appos).
_CUE_ALONE = 0.45
_TWIN_RATE = 0.6
_EXTRA_WEIGHTS = (3, 1.5, 4, 2, 2, 2, 2, 3.5, 12, 2)
_ARTICLES = {
    "en": ["the", "a", "my", "our"], "fr": ["le", "la", "les", "du"],
    "de": ["der", "die", "den", "dem", "das"], "es": ["el", "la", "los", "del"],
    "it": ["il", "la", "lo", "del"], "nl": ["de", "het", "een"],
}  # fmt: skip
_ENTITY_SLOT = re.compile(r"\{(?:P|F|S|B|U|C|V|K|A1)\}")

# Russian names, transliterated (Faker writes them in Cyrillic).
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ("a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
         "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu",
         "ya"),
        strict=True,
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Example:
    """One generated text with its gold spans ``(start, end, label)``."""

    text: str
    spans: tuple[tuple[int, int, str], ...]
    lang: str
    split: str
    template: str = field(default="", compare=False)


_SLOT = re.compile(r"\{([A-Z]\d?)\}")
_LABEL_OF = {
    "P": "PERSON", "F": "PERSON", "S": "PERSON", "A": "LOCATION", "A1": "LOCATION",
    "C": "LOCATION", "K": "LOCATION", "O": "ORGANIZATION", "D": "DATE_TIME", "N": "NRP",
    "U": "PERSON", "Y": "DATE_TIME", "B": "PERSON", "Q": "PERSON", "V": "LOCATION",
}  # fmt: skip


class Generator:
    """Makes :class:`Example` s, the same ones for the same seed."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self._fakers: dict[str, Faker] = {}
        self._seed = seed
        self._last_person = ("ada", "lovelace")
        self._vocabulary: dict[str, list[str]] = {}

    def faker(self, locale: str) -> Faker:
        fake = self._fakers.get(locale)
        if fake is None:
            fake = self._fakers[locale] = Faker(locale)
            fake.seed_instance(self._seed + len(self._fakers))
        return fake

    # --- values ---------------------------------------------------------------------------

    def _name_locale(self, lang: str) -> str:
        roll = self.rng.random()
        if roll < 0.5:
            return self.rng.choice(_LANG_LOCALES[lang])
        if roll < 0.9:
            return self.rng.choice(_WORLD_NAME_LOCALES)
        return self.rng.choice(_ROMANISED_LOCALES)

    def _first_last(self, lang: str) -> tuple[str, str]:
        locale = self._name_locale(lang)
        fake = self.faker(locale)
        if locale in _ROMANISED_LOCALES:
            first, last = fake.first_romanized_name(), fake.last_romanized_name()
            first, last = first.title(), last.title()
        else:
            first, last = fake.first_name(), fake.last_name()
        return first, last

    def first(self, lang: str) -> str:
        first, last = self._first_last(lang)
        self._last_person = (first, last)
        return self._slot_case(first)

    def surname(self, lang: str) -> str:
        first, last = self._first_last(lang)
        self._last_person = (first, last)
        return self._slot_case(last)

    def world_person(self) -> str:
        """Whole names of cultures the locales under-represent: Vietnamese three-part names,
        Arabic ``Al-``/``bin`` names, Irish ``Ní``/``Ó``/``Mac``, Spanish double surnames."""
        rng = self.rng
        kind = rng.randrange(5)
        if kind == 0:
            fake = self.faker("vi_VN")
            return f"{fake.last_name()} {fake.middle_name()} {fake.middle_name()}"
        if kind == 1:
            given, family = rng.choice(_ARABIC_GIVEN), rng.choice(_ARABIC_FAMILY)
            return rng.choice(
                (
                    f"{given} Al-{family}", f"{given} al-{family}", f"{given} El-{family}",
                    f"{given} bin {rng.choice(_ARABIC_GIVEN)} Al-{family}",
                    f"{given} Abu {family}", f"{given} {family}",
                )
            )  # fmt: skip
        if kind == 2:
            fake = self.faker("ga_IE")
            particle = rng.choice(("Ní", "Ó", "Mac", "Nic", "Ua", "O'", "Mc"))
            glue = "" if particle in ("O'", "Mc") else " "
            last = fake.last_name()
            if re.match(r"(Ó|Ní|Nic|Mac|Mc|O'|Ua|Uí|Bean) ", last):  # has its particle already
                return f"{fake.first_name()} {last}"
            return f"{fake.first_name()} {particle}{glue}{last}"
        if kind == 3:
            fake = self.faker(rng.choice(_LANG_LOCALES["es"]))
            a, b = fake.last_name(), fake.last_name()
            return rng.choice(
                (
                    f"{fake.first_name()} {a} {b}", f"{fake.first_name()} {a} y {b}",
                    f"{fake.first_name()} {fake.first_name()} {a} {b}",
                    f"{fake.first_name()} {a}-{b}", f"{fake.first_name()} de {a}",
                )
            )  # fmt: skip
        first, last = self._first_last(rng.choice(LANGS))
        return f"{first} {self._first_last('en')[0]} {self._first_last('fr')[0]} {last}"

    def person(self, lang: str) -> str:
        rng = self.rng
        if rng.random() < 0.15:
            return self._slot_case(self.many_cultures(lang))
        first, last = self._first_last(lang)
        self._last_person = (first, last)
        roll = rng.random()
        if roll < 0.45:
            value = f"{first} {last}"
        elif roll < 0.55:
            value = f"{first} {self._first_last(lang)[0]} {last}"
        elif roll < 0.63:
            value = f"{first[0]}. {last}"
        elif roll < 0.71:
            value = f"{first} {last}-{self._first_last(lang)[1]}"
        elif roll < 0.78:
            value = f"{first} {last} {self._first_last(lang)[1]}"
        elif roll < 0.86:
            value = f"{first} {rng.choice(_PARTICLES)} {last}"
        elif roll < 0.91:
            value = f"{last.upper()} {first}"
        elif roll < 0.95:
            value = f"{last}, {first}"
        else:
            value = f"{first[0]}.{self._first_last(lang)[0][0]}. {last}"
        return self._slot_case(value)

    def _slot_case(self, value: str) -> str:
        roll = self.rng.random()
        if roll < 0.12:
            return value.lower()
        if roll < 0.18:
            return value.upper()
        return value

    def email(self) -> str:
        first, last = (_ascii(p) for p in self._last_person)
        domain = self.rng.choice(["example.com", "mail.example.org", "corp.example", "x.io"])
        local = self.rng.choice(
            [f"{first}.{last}", f"{first[:1]}{last}", first, f"{last}{first[:1]}"]
        )
        return f"{local.lower() or 'user'}@{domain}"

    def username(self) -> str:
        """A login made of a name: "liam.obrien", "mmueller" (PERSON: it names someone)."""
        first, last = self._first_last(self.rng.choice(LANGS))
        first, last = _ascii(first).lower() or "ana", _ascii(last).lower() or "lee"
        return self.rng.choice(
            (f"{first}.{last}", f"{first[0]}{last}", f"{first[0]}.{last}", f"{first}{last[0]}")
        )

    def local_address(self) -> str:
        """Addresses as Hungary, Finland, Estonia and Japan (romanised) write them, on
        several lines: ONE span."""
        rng = self.rng
        n = rng.randint(1, 140)
        kind = rng.randrange(4)
        if kind == 0:
            fake = self.faker("hu_HU")
            street = f"{fake.last_name()} {rng.choice(_HU_STREET)} {n}."
            if rng.random() < 0.3:
                street += f" {rng.randint(1, 6)}. em. {rng.randint(1, 12)}."
            city, post = fake.city(), str(rng.randint(1011, 9985))
            lines = rng.choice(
                ([city, street, post], [f"{post} {city}", street], [street, f"{city}, {post}"],
                 [f"{city}, {street}", post], [street, f"H-{post} {city}"])
            )  # fmt: skip
        elif kind == 1:
            fake = self.faker("fi_FI")
            stem = re.sub(
                r"(katu|kuja|tie|bulevardi|polku|rinne|kaari|väylä)$", "", fake.street_name()
            )
            street = f"{stem}{rng.choice(_FI_STREET)} {n}"
            if rng.random() < 0.4:
                street += f" {rng.choice('ABCD')} {rng.randint(1, 30)}"
            city = fake.city()
            city = city.upper() if rng.random() < 0.6 else city
            lines = [street, f"{rng.randint(100, 99999):05d} {city}"]
            if rng.random() < 0.3:  # a housing company's name first, as Finnish mail has it
                lines.insert(0, f"As Oy {stem.capitalize()}")
        elif kind == 2:
            fake = self.faker("et_EE")
            street = f"{fake.last_name()} {rng.choice(_EE_STREET)} {n}"
            if rng.random() < 0.4:
                street += f"-{rng.randint(1, 60)}"
            city = rng.choice(_EE_PLACES)
            lines = [street, f"{rng.randint(10000, 99999)} {city}"]
            if rng.random() < 0.5:
                lines.append(rng.choice(("Eesti", "Estonia", f"{city[:4]}maa maakond")))
        else:
            fake = self.faker("ja_JP")
            town = fake.last_romanized_name().title()
            ward = fake.last_romanized_name().title()
            pref = rng.choice(_JP_PREFECTURES)
            block = f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
            post = f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"
            lines = rng.choice(
                ([f"{block} {town}", f"{ward}-ku, {pref} {post}"],
                 [f"{block} {town}, {ward}-ku", f"{pref} {post}", "Japan"],
                 [f"{town}-cho {block}", f"{ward}-shi, {pref}-ken {post}"],
                 [f"〒{post}", f"{pref}, {ward}-ku, {town} {block}"])
            )  # fmt: skip
        return "\n".join(lines)

    def address(self, *, one_line: bool) -> str:
        if self.rng.random() < 0.25:
            value = self.local_address()
            return re.sub(r"\s*\n\s*", ", ", value) if one_line else value
        fake = self.faker(self.rng.choice(_ADDRESS_LOCALES))
        value = str(fake.address()).strip()
        if self.rng.random() < 0.2:
            extra = self.rng.choice(_ADDRESS_EXTRAS).format(n=self.rng.randint(1, 40))
            value = extra + value
        if one_line or self.rng.random() < 0.3:
            value = re.sub(r"\s*\n\s*", ", ", value)
        if self.rng.random() < 0.2:
            value = f"{value}\n{fake.current_country()}"
        return value

    def city(self, lang: str) -> str:
        pool = _LANG_LOCALES[lang] if self.rng.random() < 0.5 else _ADDRESS_LOCALES
        return self._slot_case(str(self.faker(self.rng.choice(pool)).city()))

    def country(self, lang: str) -> str:
        return str(self.faker(_LANG_LOCALES[lang][0]).country())

    def organisation(self, lang: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            locale = rng.choice(_LANG_LOCALES[lang] + _WORLD_NAME_LOCALES[:8])
            value = str(self.faker(locale).company())
        elif roll < 0.65:
            value = f"{self._first_last(lang)[1]} {rng.choice(_ORG_SUFFIXES[lang])}"
        elif roll < 0.75:  # no legal suffix: "Horizon Analytics"
            head = str(self.faker(_LOREM_LOCALE[lang]).word()).title()
            value = f"{head} {rng.choice(_ORG_SECTORS)}"
        else:
            a, b = self._first_last(lang)[1], self._first_last(lang)[1]
            value = f"{a} & {b}"
        return value.upper() if rng.random() < 0.08 else value

    def date(self, lang: str) -> str:
        rng = self.rng
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1931, 2031)
        name = _MONTHS[lang].split()[month - 1]
        short = name[:3]
        numeric = [
            f"{day:02d}/{month:02d}/{year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day}-{short.lower()}-{year}",
            f"{day}.{month}.{year}",
        ]
        spelled = {
            "en": [
                f"{name} {day}, {year}",
                f"{day} {name} {year}",
                f"{day}{_th(day)} {name} {year}",
                f"{short} {day}, {year}",
                f"{name} {year}",
                f"{month}/{day}/{year}",
            ],
            "fr": [
                f"{day} {name} {year}",
                f"{'1er' if day == 1 else day} {name} {year}",
                f"{day} {short}. {year}",
            ],
            "de": [f"{day}. {name} {year}", f"{day:02d}.{month:02d}.{year}", f"{name} {year}"],
            "es": [f"{day} de {name} de {year}", f"{day} {name} {year}", f"{day}-{short}-{year}"],
            "it": [f"{day} {name} {year}", f"{day}/{month}/{year}", f"{name} {year}"],
            "nl": [f"{day} {name} {year}", f"{day}-{month}-{year}", f"{name} {year}"],
        }[lang]
        value = rng.choice(spelled * 2 + numeric)
        roll = rng.random()
        if roll < 0.25:  # with a weekday, and often without the year: "Thursday 12 June"
            weekday = rng.choice(_WEEKDAYS[lang].split())
            weekday = weekday[:3] if rng.random() < 0.3 else weekday
            value = rng.choice(
                {
                    "en": [
                        f"{weekday} {day} {name}",
                        f"{weekday}, {name} {day}",
                        f"{weekday} {day}{_th(day)}",
                        f"{weekday}, {day} {short} {year}",
                    ],
                    "fr": [
                        f"{weekday} {day} {name}",
                        f"{weekday} {'1er' if day == 1 else day} {name}",
                    ],
                    "de": [
                        f"{weekday}, {day}. {name}",
                        f"{weekday}, {day:02d}.{month:02d}.",
                        f"{weekday[:2]} {day:02d}.{month:02d}.",
                    ],
                    "es": [f"{weekday} {day} de {name}", f"el {weekday} {day}"],
                    "it": [f"{weekday} {day} {name}", f"{weekday} {day}"],
                    "nl": [f"{weekday} {day} {name}", f"{weekday[:2]} {day} {short}"],
                }[lang]
            )
        elif roll < 0.35:  # day and month only
            value = {
                "en": f"{day} {name}",
                "fr": f"{day} {name}",
                "de": f"{day}. {name}",
                "es": f"{day} de {name}",
                "it": f"{day} {name}",
                "nl": f"{day} {name}",
            }[lang]
        if rng.random() < 0.2:  # and a time
            hour, minute = rng.randint(7, 20), rng.choice((0, 15, 30, 45, 5, 47))
            clock = rng.choice(
                (f"{hour}:{minute:02d}", f"{hour:02d}h{minute:02d}", f"{hour % 12 or 12}pm")
            )
            value = f"{value}{rng.choice((' ', ', '))}{_AT[lang]} {clock}"
        return value

    def fill(self, slot: str, lang: str) -> str:
        rng = self.rng
        makers: dict[str, Callable[[], str]] = {
            "P": lambda: self.person(lang),
            "F": lambda: self.first(lang),
            "S": lambda: self.surname(lang),
            "A": lambda: self.address(one_line=False),
            "A1": lambda: self.address(one_line=True),
            "C": lambda: self.city(lang),
            "K": lambda: self.country(lang),
            "O": lambda: self.organisation(lang),
            "D": lambda: self.date(lang),
            "N": lambda: rng.choice(_NRP[lang]),
            "R": lambda: rng.choice(_RELATIVE[lang]),
            "J": lambda: rng.choice(_TITLES[lang]),
            "X": lambda: rng.choice(_PRODUCTS),
            "E": self.email,
            "M": lambda: f"{rng.choice(['info', 'support', 'billing', 'noreply'])}@example.com",
            "T": lambda: (
                f"+{rng.randint(30, 49)} {rng.randint(100, 999)} {rng.randint(1000000, 9999999)}"
            ),
            "W": lambda: rng.choice(_COMMON_WORDS[lang]),
            "H": lambda: rng.choice(_HONORIFICS[lang]),
            "U": self.username,
            "G": lambda: rng.choice(_MORE_LABELS),
            "Z": lambda: rng.choice(_CODE_LINES),
            "Y": lambda: self.date(lang),
            "B": lambda: self._slot_case(self.family_first(lang)),
            "Q": lambda: self._slot_case(self.many_cultures(lang)),
            "V": lambda: self.landmark(lang),
            "I": self.id_code,
        }
        if slot.startswith("L"):
            return _FORM_LABELS[lang][int(slot[1:])]
        return makers[slot]()

    # --- examples -------------------------------------------------------------------------

    def render(self, template: str, lang: str) -> tuple[str, list[tuple[int, int, str]]]:
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        position = 0
        length = 0
        previous = ""
        for match in _SLOT.finditer(template):
            literal = template[position : match.start()]
            parts.append(literal)
            length += len(literal)
            value = self.fill(match.group(1), lang).strip()
            value = re.sub(r"[ \t]+", " ", value)
            label = _LABEL_OF.get(match.group(1))
            if (
                (previous, match.group(1)) == ("F", "S")
                and literal == " "
                and spans
                and spans[-1][1:] == (length - 1, "PERSON")
            ):  # "{F} {S}" is one name: one span
                spans[-1] = (spans[-1][0], length + len(value), label)
            elif label is not None:
                spans.append((length, length + len(value), label))
            parts.append(value)
            length += len(value)
            position = match.end()
            previous = match.group(1)
            if value.endswith(".") and template.startswith(".", position):
                position += 1  # "Inc." at the end of a sentence: one full stop
        parts.append(template[position:])
        return "".join(parts), spans

    def clause(self, lang: str, split: str) -> str:
        """A template of one clause built from the context phrases: "ask {P} tomorrow"."""
        rng = self.rng
        context = _CONTEXT[lang]
        slot = rng.choices(("P", "L", "O", "D", "N"), weights=(5, 3, 2, 2, 1.5))[0]
        if slot == "L":
            slot = rng.choice(("C", "C", "K", "A", "A1"))
        elif slot == "P" and rng.random() < 0.35:
            slot = rng.choice(("F", "S", "U"))
        pool = context[slot if slot in context else ("P" if slot in "FSU" else "L")]
        pool = _split(pool, split)
        tails = _split(context["tail"], split)
        before = rng.choice(pool)
        if rng.random() < _CUE_ALONE:
            # The cue without an entity: "please add short notes", "moved to renewal in a
            # fortnight". Ordinary words (lower case or capitalised) and relative dates after
            # a cue stay unlabelled, so the cue alone does not make a name or a place.
            words = rng.sample(self.vocabulary(lang), rng.randint(1, 3))
            if rng.random() < 0.3:
                words[0] = words[0].capitalize()
            if rng.random() < 0.3:
                words.append(rng.choice(_RELATIVE[lang]))
            return f"{before} {' '.join(words)}{rng.choice(tails)}"
        if rng.random() < 0.15:  # two of the same kind: "ask {P} and {P}"
            joiner = {"en": "and", "fr": "et", "de": "und", "es": "y", "it": "e", "nl": "en"}
            return f"{before} {{{slot}}} {joiner[lang]} {{{slot}}}{rng.choice(tails)}"
        if rng.random() < 0.2:  # a number that is not PII nearby: "ask {P} about order 5521"
            return f"{before} {{{slot}}} {self.code()}{rng.choice(tails)}"
        return f"{before} {{{slot}}}{rng.choice(tails)}"

    def code(self) -> str:
        """A number or code that is not PII: order and ticket numbers, versions, amounts."""
        rng = self.rng
        n = rng.randint(2, 99999)
        letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.randint(2, 4)))
        return rng.choice(
            (
                f"order {n}", f"#{n}", f"ticket {letters}-{n}", f"v{n % 9}.{n % 17}.{n % 7}",
                f"{letters}-{rng.randint(2015, 2030)}-{n:05d}", f"€{n},00", f"${n}.99",
                f"{n % 50} items", f"room {n % 900}", f"error {rng.choice((404, 500, 503))}",
                f"build {n}", f"SKU {letters}-{n % 10000}", f"{n % 100} %", f"{letters}{n}",
                f"Release {rng.randint(2019, 2026)}.{n % 4 + 1}", f"{n % 24}:{n % 60:02d}",
                f"Ref. {n}/{rng.randint(10, 99)}", f"{n % 12 + 1}x", f"{letters} {n % 100000}",
            )
        )  # fmt: skip

    def noise(self, lang: str) -> str:
        """Ordinary words of the language in random order (no PII), sometimes with a salutation
        or one entity slot: the model learns that any other word is nothing."""
        rng = self.rng
        words = [rng.choice(self.vocabulary(lang)) for _ in range(rng.randint(4, 14))]
        if rng.random() < 0.5:
            words[0] = words[0].capitalize()
        if rng.random() < 0.3:  # a capitalised word mid-sentence (a verb, a heading word)
            i = rng.randrange(len(words))
            words[i] = words[i].capitalize()
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            words.insert(rng.randrange(len(words) + 1), self.code())
        if rng.random() < 0.3:
            slot = rng.choice(("{P}", "{F}", "{C}", "{O}", "{N}"))
            words.insert(rng.randrange(len(words) + 1), slot)
        text = " ".join(words).replace("{", "{{").replace("}", "}}")
        text = text.replace("{{", "{").replace("}}", "}")
        if rng.random() < 0.3:
            text = f"{rng.choice(_COURTESY[lang])},\n{text}"
        elif rng.random() < 0.2:
            text = f"{text}\n{rng.choice(_COURTESY[lang])}"
        return text + rng.choice(("", ".", ".", "?", "!"))

    # --- kinds added in 0.2.0, second part --------------------------------------------------

    def russian_person(self) -> str:
        """A Russian name with its patronymic, transliterated: "Olga Sergeyevna Morozova"."""
        fake = self.faker("ru_RU")
        if self.rng.random() < 0.5:
            parts = fake.first_name_male(), fake.middle_name_male(), fake.last_name_male()
        else:
            parts = fake.first_name_female(), fake.middle_name_female(), fake.last_name_female()
        latin = ["".join(_CYRILLIC.get(c.lower(), c) for c in p) for p in parts]
        latin = [p.capitalize() for p in latin]
        return self.rng.choice(
            (" ".join(latin), f"{latin[0]} {latin[2]}", f"{latin[2]} {latin[0]}")
        )

    def family_first(self, lang: str) -> str:
        """Family name first: "Kovács Eszter", "NACHNAME, Vorname", "García López, Ana"."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            fake = self.faker(rng.choice(("hu_HU", "vi_VN", "zh_CN", "ja_JP")))
            if fake.locales[0] in _ROMANISED_LOCALES:
                return f"{fake.last_romanized_name()} {fake.first_romanized_name()}".title()
            return f"{fake.last_name()} {fake.first_name()}"
        first, last = self._first_last(lang)
        if roll < 0.55:
            last = f"{last} {self._first_last(lang)[1]}"
        return rng.choice((f"{last}, {first}", f"{last.upper()}, {first}", f"{last} {first}"))

    def many_cultures(self, lang: str) -> str:
        """A whole name of one of many cultures (see :meth:`world_person`)."""
        roll = self.rng.random()
        if roll < 0.2:
            return self.russian_person()
        if roll < 0.35:
            fake = self.faker(self.rng.choice(("yo_NG", "ig_NG", "en_NG")))
            return f"{fake.first_name()} {fake.last_name()}"
        if roll < 0.5:
            return self.family_first(lang)
        return self.world_person()

    def landmark(self, lang: str) -> str:
        city = str(self.faker(self.rng.choice(_LANG_LOCALES[lang])).city())
        if self.rng.random() < 0.5:
            return city
        return self.rng.choice(_LANDMARKS).format(c=city)

    def id_code(self) -> str:
        """An employee, ticket or extension number (not PII for the NER model)."""
        rng = self.rng
        letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
        return rng.choice(
            (f"EMP-{rng.randint(1000, 999999)}", f"{letters}-{rng.randint(10, 9999)}",
             f"ID {rng.randint(100, 99999)}", f"#{rng.randint(10, 9999)}",
             f"x{rng.randint(100, 9999)}")
        )  # fmt: skip

    def structured(self, lang: str) -> tuple[str, str | None]:
        """JSON, CSV, vCard, git config, ALL-CAPS forms and markdown tables holding names."""
        rng = self.rng
        key = rng.choice(_NAME_KEYS[lang])
        city = _CITY_KEYS[lang]
        kind = rng.randrange(10)
        if kind == 0:
            parts = [f'"{key}": "{{P}}"']
            if rng.random() < 0.6:
                parts.append('"email": "{E}"')
            if rng.random() < 0.5:
                parts.append(f'"{city}": "{{C}}"')
            if rng.random() < 0.4:
                parts.insert(0, f'"id": {rng.randint(1, 99999)}')
            if rng.random() < 0.3:
                parts.append('"status": "active"')
            sep = rng.choice((", ", ",\n  "))
            return "{" + sep.join(parts) + "}", None
        if kind == 1:
            header = rng.choice(
                ("id,first_name,last_name,email,city", "id,first,last,email,city,country",
                 "id;nombre;apellidos;ciudad", "nr,voornaam,achternaam,plaats", "name,email,city")
            )  # fmt: skip
            rows = [header]
            for _ in range(rng.randint(1, 4)):
                n = rng.randint(1, 9999)
                if header.startswith("name"):
                    rows.append("{P},{E},{C}")
                elif ";" in header:
                    rows.append(f"{n};{{F}};{{S}};{{C}}")
                elif "plaats" in header:
                    rows.append(f"{n},{{F}},{{S}},{{C}}")
                elif "country" in header:
                    rows.append(f"{n},{{F}},{{S}},{{E}},{{C}},{{K}}")
                else:
                    rows.append(f"{n},{{F}},{{S}},{{E}},{{C}}")
            return "\n".join(rows), None
        if kind == 2:
            lines = ["BEGIN:VCARD", "VERSION:3.0", "N:{S};{F};;;", "FN:{P}"]
            if rng.random() < 0.5:
                lines.append("ORG:{O}")
            lines += ["EMAIL:{E}", "TEL:{T}", "END:VCARD"]
            return "\n".join(lines), None
        if kind == 3:
            return rng.choice(
                ("[user]\n\tname = {P}\n\temail = {E}", 'git config --global user.name "{P}"',
                 "Author: {P} <{E}>\nDate:   {D}", "Signed-off-by: {P} <{E}>")
            ), None  # fmt: skip
        if kind == 4:  # ALL CAPS forms, upper-cased after filling
            lines = [f"{rng.choice(_CAPS_KEYS[lang])}: {rng.choice(('{P}', '{B}', '{P}'))}"]
            if rng.random() < 0.6:
                lines.append(f"{rng.choice(_CAPS_CITY_KEYS)}: {{C}}")
            if rng.random() < 0.4:
                lines.append("DOB: {D}")
            rng.shuffle(lines)
            return "\n".join(lines), "upper"
        if kind == 5:
            head = rng.choice(
                (
                    "| Name | City | Role |",
                    "| Nom | Ville | Rôle |",
                    "| Name | Ort | Rolle |",
                    "| Nombre | Ciudad | Cargo |",
                )
            )
            rows = [head, "|---|---|---|"]
            rows += ["| {P} | {C} | {J} |" for _ in range(rng.randint(1, 3))]
            return "\n".join(rows), None
        if kind == 6:
            return rng.choice(
                ("{k}: {P}", "{k} = {P}", "{k}: {B}", "- {k}: {P}\n  {c}: {C}")
            ).format(k=key, c=city, P="{P}", B="{B}", C="{C}"), None
        if kind == 7:
            return rng.choice(
                ("nom;prenom;email;ville\n{S};{F};{E};{C}\n{S};{F};{E};{C}",
                 "apellidos;nombre;ciudad\n{S};{F};{C}",
                 "achternaam;voornaam;woonplaats\n{S};{F};{C}\n{S};{F};{C}",
                 "name,email,phone,city\n{B},{E},{T},{C}\n{B},{E},{T},{C}",
                 "asset_tag,owner,ip\nLT-0442,{P},10.1.4.42\nLT-0519,{P},10.1.4.57",
                 "ADR;TYPE=HOME:;;12 Main Street;{C};;10115;{K}\nFN:{P}")
            ), None  # fmt: skip
        if kind == 8:
            parts = [f'"{key}":"{{P}}"', '"email":"{E}"', f'"{city}":"{{C}}"']
            return "{" + ",".join(parts[: rng.randint(1, 3)]) + "}", None
        return rng.choice(("@{U} can you check this?", "thanks @{U}!", "cc @{F} @{U}",
                           "@{F} ping", "merci @{U}", "danke @{F}")), "lower"  # fmt: skip

    def vocabulary(self, lang: str) -> list[str]:
        """Ordinary words of the language: Faker's word list and :data:`_OWN_WORDS`."""
        words = self._vocabulary.get(lang)
        if words is None:
            import importlib

            pool = set(self.faker(_LOREM_LOCALE[lang]).get_words_list())
            pool.update(_OWN_WORDS[lang].split(), _OWN_VERBS[lang].split())
            stop = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
            pool.update(w for w in stop if w.isalpha())
            words = self._vocabulary[lang] = sorted(pool)
        return words

    def filler(self, lang: str) -> str:
        """One or two ordinary words where a template has an entity: "I'm tired", "in der
        Teeküche", "from signup"."""
        rng = self.rng
        words = rng.sample(self.vocabulary(lang), rng.choice((1, 1, 1, 2)))
        if lang != "de" and rng.random() < 0.1:  # rarely: an unknown capitalised word in a
            words[0] = words[0].capitalize()  # name's place is still most often a name
        if rng.random() < 0.25:
            words.insert(0, rng.choice(_ARTICLES[lang]))
        return " ".join(words)

    def negative(self, lang: str) -> str:
        """Text with no PII: phrases and config lines, mixed with Faker's ordinary words, some
        capitalised (a German noun, a heading word) or in lower case."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return "\n".join(rng.sample(_CONFIG_LINES, rng.randint(1, 3)))
        if roll < 0.25:
            return rng.choice(_TECH_NEG)
        phrases = rng.sample(_NEG_PHRASES[lang], rng.randint(1, 2))
        words = rng.sample(self.vocabulary(lang), rng.randint(0, 4))
        if lang == "de" or rng.random() < 0.4:  # German nouns and title-like words
            words = [w.capitalize() if rng.random() < 0.5 else w for w in words]
        text = " ".join(phrases + words) if rng.random() < 0.5 else " ".join(words + phrases)
        text = text.strip()
        if rng.random() < 0.4:
            text = text.lower()
        return text

    def extra(self, lang: str, split: str) -> tuple[str, str | None, str]:
        """One template of the second part of the 0.2.0 kinds, how to re-case it once filled
        (None, "lower", "upper") and its name."""
        rng = self.rng
        kind = rng.choices(
            (
                "intro",
                "paren",
                "start",
                "signoff",
                "role",
                "low",
                "places",
                "struct",
                "neg",
                "appos",
            ),
            weights=_EXTRA_WEIGHTS,
        )[0]
        if kind == "struct":
            template, case = self.structured(lang)
            return template, case, kind
        if kind == "neg":
            text = self.negative(lang)
            return text.replace("{", "(").replace("}", ")"), None, kind
        case = "lower" if kind == "low" else None
        if kind == "signoff":
            body = rng.choice(_split(_TEMPLATES[lang]["chat"] + _NEG_PHRASES[lang], split))
            template = f"{body}\n{rng.choice(_split(_SIGNOFF[lang], split))}"
        elif kind == "role":
            role = rng.choice(_ROLES[lang])
            template = rng.choice(_split(_ROLE_TEMPLATES, split)).replace("{r}", role)
        else:
            pool = {"intro": _INTRO, "paren": _PAREN, "start": _START, "low": _LOWCHAT,
                    "places": _PLACES, "appos": _APPOSITION}[kind][lang]  # fmt: skip
            template = rng.choice(_split(pool, split))
        if rng.random() < _TWIN_RATE:
            # Its negative twin: ordinary words where the names and places were, so the
            # context alone ("I'm", "aus", "Thanks,") does not make an entity.
            template = _ENTITY_SLOT.sub(
                lambda m: self.filler(lang) if rng.random() < 0.8 else m.group(), template
            )
            kind += ".twin"
        return template, case, kind

    def example(self, lang: str, split: str) -> Example:
        rng = self.rng
        segments: list[tuple[str, list[tuple[int, int, str]]]] = []
        names: list[str] = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            kind = rng.choices(
                ("chat", "prose", "neg", "struct", "clause", "noise", "extra"),
                weights=(4, 2, 2.5, 1.5, 5, 3, 8),
            )[0]
            if kind == "extra":
                template, case, name = self.extra(lang, split)
                names.append(f"{lang}.{name}")
                text, spans = self.render(template, lang)
                if case is not None:
                    text = _same_length(text, str.lower if case == "lower" else str.upper)
                segments.append((text, spans))
                continue
            if kind == "noise":
                template = self.noise(lang)
                names.append(f"{lang}.noise")
            elif kind == "clause":
                template = self.clause(lang, split)
                names.append(f"{lang}.clause")
            else:
                pool = _STRUCTURES if kind == "struct" else _TEMPLATES[lang][kind]
                template = rng.choice(_split(pool, split))
                names.append(f"{lang}.{kind}.{pool.index(template)}")
            segments.append(self.render(template, lang))
        joiner = rng.choice((" ", " ", "\n", "\n\n"))
        text, spans = _join(segments, joiner)
        text, spans = self._recase(text, spans)
        return Example(text, tuple(spans), lang, split, "+".join(names))

    def _recase(
        self, text: str, spans: list[tuple[int, int, str]]
    ) -> tuple[str, list[tuple[int, int, str]]]:
        roll = self.rng.random()
        if roll < 0.52:
            return text, spans
        if roll < 0.68:
            text = _same_length(text, str.lower)
        elif roll < 0.76:
            text = _same_length(text, str.upper)
        elif roll < 0.82:
            text = re.sub(r"[^\W\d_]+", lambda m: _same_length(m.group(), str.capitalize), text)
        if roll >= 0.82 or self.rng.random() < 0.3:
            return _without_punctuation(text, spans)
        return text, spans

    def examples(self, count: int, split: str) -> Iterator[Example]:
        for index in range(count):
            yield self.example(LANGS[index % len(LANGS)], split)


def _split(items: list[str], split: str) -> list[str]:
    """The items of one split: every fifth is held out for dev (all, for a list too short)."""
    chosen = [item for i, item in enumerate(items) if (i % 5 == 4) == (split == "dev")]
    return chosen or items


def _th(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _ascii(value: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z]", "", folded)


def _same_length(text: str, change: Callable[[str], str]) -> str:
    """``change(text)`` character by character where it keeps one character (``ß`` stays)."""
    changed = change(text)
    if len(changed) == len(text):
        return changed
    return "".join(c2 if len(c2 := change(c)) == 1 else c for c in text)


_SENTENCE_PUNCTUATION = re.compile(r"[,.;:!?¿¡]+(?=\s|$)|(?<=\s)[¿¡]")


def _without_punctuation(
    text: str, spans: list[tuple[int, int, str]]
) -> tuple[str, list[tuple[int, int, str]]]:
    """The text without sentence punctuation (chat typed in a hurry), spans moved along."""
    keep = [True] * len(text)
    for match in _SENTENCE_PUNCTUATION.finditer(text):
        for i in range(match.start(), match.end()):
            keep[i] = False
    new_index = [0] * (len(text) + 1)
    count = 0
    for i, kept in enumerate(keep):
        new_index[i] = count
        count += kept
    new_index[len(text)] = count
    out = "".join(c for c, kept in zip(text, keep, strict=True) if kept)
    moved = [(new_index[s], new_index[e], label) for s, e, label in spans]
    return out, [(s, e, label) for s, e, label in moved if s < e]


def _join(
    segments: list[tuple[str, list[tuple[int, int, str]]]], joiner: str
) -> tuple[str, list[tuple[int, int, str]]]:
    text = ""
    spans: list[tuple[int, int, str]] = []
    for piece, piece_spans in segments:
        if text:
            text += joiner
        spans.extend((s + len(text), e + len(text), label) for s, e, label in piece_spans)
        text += piece
    return text, spans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--show", type=int, default=10)
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    args = parser.parse_args(argv)
    generator = Generator(args.seed)
    for example in generator.examples(args.show, args.split):
        marked = example.text
        for start, end, label in sorted(example.spans, reverse=True):
            marked = f"{marked[:start]}[{marked[start:end]}|{label}]{marked[end:]}"
        print(f"--- {example.lang} {example.template}\n{marked}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
