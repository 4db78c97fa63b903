"""Held-out template families: evaluation text that no rule of the library was written against.

The templates of :mod:`benchmarks.corpus` are *tuning* families: the recognizers were
adjusted until they scored well on them. The families below were written afterwards, by a
different hand and deliberately unlike them: international postal addresses in prose,
names of many cultures, lower-case and ALL-CAPS chat, pasted forms, e-mail threads with
signatures, JSON and log lines, markdown tables, secrets in configuration, and chat in
French, German, Spanish, Italian and Dutch. **Never tune a rule on them**; when they show a
kind of failure, write a new test or tuning template for that kind, then check that the
held-out score moves.

Each family has a language and a list of Faker locales; a conversation takes one family and
one of its locales, so names, addresses, phones and dates come from that locale (Faker is
used for evaluation values only, never inside the library). Every message carries the
family's language. Gold conventions are those of :mod:`benchmarks.corpus`, plus: a postal
address is one LOCATION span whatever its country's layout; in a connection string or
``curl -u user:pass`` the password is PASSWORD (a service account's user name is a hard
negative); the base64 blob of ``Authorization: Basic`` is PASSWORD (it encodes one), as in
the hand-written set; national identifiers use the planned types of
:data:`benchmarks.handwritten.PLANNED_ENTITIES` (FR_NIR, UK_NINO, ES_NIF, IT_FISCAL_CODE,
NL_BSN, DE_TAX_ID, PASSPORT), which count as leaks unless some predicted span covers them.

CLI: ``python -m benchmarks.heldout --seed 7 --conversations 5`` prints a sample.
"""

from __future__ import annotations

import argparse
import base64
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.corpus import (
    DEFAULT_SEED,
    Conversation,
    Message,
    Slot,
    _ascii,
    _Deck,
    _render,
)

__all__ = ["FAMILIES", "SLOTS", "Family", "family_of", "generate", "main", "template_text"]


@dataclass(frozen=True, slots=True)
class Family:
    """Templates of one scenario and author style, in one language."""

    lang: str
    locales: tuple[str, ...]
    templates: dict[str, tuple[str, str]]  # name -> (role, text with {slot} fields)
    case: str = ""  # "lower" or "upper": the whole message is written that way


class _Context:
    """Random sources: one ``random.Random`` and one seeded Faker per locale, made on first
    use; ``locale`` is the current conversation's."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.locale = "en_US"
        self.lang = "en"  # the family's language: of relative dates, month names, prices
        self._fakers: dict[str, Any] = {}
        self.cities: dict[str, tuple[str, ...]] = {}  # per locale, see _faker_city

    @property
    def fake(self) -> Any:
        if self.locale not in self._fakers:
            from faker import Faker

            fake = Faker(self.locale)
            # a stable per-locale seed (str hash is salted per process)
            fake.seed_instance(self.seed * 1009 + sum(map(ord, self.locale)))
            self._fakers[self.locale] = fake
        return self._fakers[self.locale]

    def digits(self, count: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(count))


# --- values ---------------------------------------------------------------------------------

# Romanised Japanese addresses: (district, ward or city, prefecture city, postcode prefix).
_JP_PLACES = (
    ("Jingumae", "Shibuya-ku", "Tokyo", "150"),
    ("Nishi-Shinjuku", "Shinjuku-ku", "Tokyo", "160"),
    ("Kanda-Jimbocho", "Chiyoda-ku", "Tokyo", "101"),
    ("Umeda", "Kita-ku", "Osaka", "530"),
    ("Sakae", "Naka-ku", "Nagoya", "460"),
    ("Gion-machi", "Higashiyama-ku", "Kyoto", "605"),
)
_EE_STREETS = ("Pärnu mnt", "Narva mnt", "Tartu mnt", "Rüütli", "Lai", "Kalevi", "Riia")
_EE_CITIES = (("Tallinn", "10"), ("Tartu", "50"), ("Pärnu", "80"), ("Narva", "20"))
_MAIL_DOMAINS = {
    "fr": ("orange.fr", "free.fr", "laposte.net"),
    "de": ("web.de", "gmx.de", "t-online.de"),
    "es": ("telefonica.es", "gmail.com", "correo.es"),
    "it": ("libero.it", "tiscali.it", "gmail.com"),
    "nl": ("ziggo.nl", "kpnmail.nl", "gmail.com"),
    "en": ("gmail.com", "outlook.com", "fastmail.com", "hey.com", "icloud.com"),
}
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
_RELATIVE = {
    "en": ("tomorrow", "next Tuesday", "end of next week", "in a fortnight", "this afternoon"),
    "fr": ("demain", "la semaine prochaine", "lundi prochain", "ce soir", "dans deux jours"),
    "de": ("morgen", "nächste Woche", "übermorgen", "heute Abend", "Ende des Monats"),
    "es": ("mañana", "la semana que viene", "el lunes", "esta tarde", "pasado mañana"),
    "it": ("domani", "la settimana prossima", "lunedì prossimo", "stasera", "dopodomani"),
    "nl": ("morgen", "volgende week", "overmorgen", "vanavond", "eind van de maand"),
}
_NRP = ("Sikh", "Mormon", "Kurdish", "Tamil", "Quaker", "Ukrainian", "Ghanaian", "Filipino")


def _lang(ctx: _Context) -> str:
    return ctx.lang


def _first(ctx: _Context) -> str:
    if ctx.locale in ("ja_JP", "zh_CN"):
        return str(ctx.fake.first_romanized_name())
    return str(ctx.fake.first_name())


def _last(ctx: _Context) -> str:
    if ctx.locale in ("ja_JP", "zh_CN"):
        return str(ctx.fake.last_romanized_name())
    return str(ctx.fake.last_name())


def _person(ctx: _Context) -> str:
    first, last = _first(ctx), _last(ctx)
    # Hungarian names are written family name first; Japanese and Chinese ones often are.
    if ctx.locale == "hu_HU" or (ctx.locale in ("ja_JP", "zh_CN") and ctx.rng.random() < 0.5):
        return f"{last} {first}"
    return f"{first} {last}"


def _email(ctx: _Context) -> str:
    first, last = _ascii(_first(ctx)).lower(), _ascii(_last(ctx)).lower()
    domain = ctx.rng.choice(_MAIL_DOMAINS.get(_lang(ctx), _MAIL_DOMAINS["en"]))
    local = ctx.rng.choice((f"{first}.{last}", f"{last}{ctx.digits(2)}", f"{first[:1]}.{last}"))
    return f"{local}@{domain}"


def _phone(ctx: _Context) -> str:
    return str(ctx.fake.phone_number()).split("x")[0].strip()


def _date(ctx: _Context) -> str:
    months = _MONTHS.get(_lang(ctx), _MONTHS["en"]).split()
    year, month, day = ctx.rng.randint(1948, 2027), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28)
    name = months[month - 1]
    if _lang(ctx) == "en":
        return ctx.rng.choice(
            (f"{day} {name} {year}", f"{name} {day}, {year}", f"{day}/{month}/{year}")
        )
    if _lang(ctx) == "de":
        return ctx.rng.choice((f"{day}. {name} {year}", f"{day:02d}.{month:02d}.{year}"))
    if _lang(ctx) in ("es",):
        return ctx.rng.choice((f"{day} de {name} de {year}", f"{day:02d}/{month:02d}/{year}"))
    if _lang(ctx) == "nl":
        return ctx.rng.choice((f"{day} {name} {year}", f"{day:02d}-{month:02d}-{year}"))
    return ctx.rng.choice((f"{day} {name} {year}", f"{day:02d}/{month:02d}/{year}"))


def _faker_city(ctx: _Context) -> str:
    """A city of the locale's Faker provider. Some providers (it_IT) build their city list
    from a set, whose order changes with the process's hash seed: cities are drawn from the
    sorted list so that a seed gives the same corpus in every process."""
    if ctx.locale not in ctx.cities:
        found: tuple[str, ...] = ()
        for provider in ctx.fake.get_providers():
            cities = getattr(provider, "cities", None)
            if isinstance(cities, list | tuple | set | frozenset):
                found = tuple(sorted(str(city) for city in cities))
                break
        ctx.cities[ctx.locale] = found
    cities = ctx.cities[ctx.locale]
    return ctx.rng.choice(cities) if cities else str(ctx.fake.city())


def _address(ctx: _Context) -> str:
    """A postal address laid out as people of that country write it, lines split by \\n."""
    fake, rng, loc = ctx.fake, ctx.rng, ctx.locale
    number = rng.randint(1, 140)
    if loc == "fi_FI":
        flat = f" {rng.choice('ABC')} {rng.randint(1, 40)}" if rng.random() < 0.5 else ""
        return f"{fake.street_name()} {number}{flat}\n{ctx.digits(5)} {_faker_city(ctx).upper()}"
    if loc == "et_EE":
        city, prefix = rng.choice(_EE_CITIES)
        street = f"{rng.choice(_EE_STREETS)} {number}-{rng.randint(1, 60)}"
        return f"{street}\n{prefix}{ctx.digits(3)} {city}"
    if loc == "pt_BR":
        cep = ctx.digits(8)
        return (
            f"Rua {fake.street_name()}, {number} - Apto {rng.randint(11, 904)}\n"
            f"{fake.bairro()}\n{_faker_city(ctx)} - {fake.estado_sigla()}\nCEP {cep[:5]}-{cep[5:]}"
        )
    if loc == "en_IN":
        return (
            f"Flat {rng.randint(1, 20)}0{rng.randint(1, 9)}, {fake.last_name()} Residency\n"
            f"{fake.street_name()} Road, {_faker_city(ctx)}\n{fake.state()} {ctx.digits(6)}"
        )
    if loc == "ja_JP":
        district, ward, city, prefix = rng.choice(_JP_PLACES)
        return (
            f"{rng.randint(1, 6)}-{rng.randint(1, 30)}-{rng.randint(1, 20)} {district}, {ward}\n"
            f"{city} {prefix}-{ctx.digits(4)}\nJapan"
        )
    if loc == "hu_HU":
        street = str(fake.street_address())
        return f"{_faker_city(ctx)}\n{street}\n{str(fake.postcode()).removeprefix('H-')}"
    if loc == "fr_FR":
        return f"{number}, {fake.street_name()}\n{fake.postcode()} {_faker_city(ctx).upper()}"
    if loc == "de_DE":
        return f"{fake.street_name()} {number}\n{fake.postcode()} {_faker_city(ctx)}"
    if loc == "es_ES":
        floor = f", {rng.randint(1, 9)}º {rng.choice('ABCD')}" if rng.random() < 0.6 else ""
        return f"{fake.street_name()}, {number}{floor}\n{fake.postcode()} {_faker_city(ctx)}"
    if loc == "it_IT":
        city = f"{_faker_city(ctx)} ({fake.state_abbr()})"
        return f"{fake.street_name()} {number}\n{fake.postcode()} {city}"
    if loc == "nl_NL":
        return f"{fake.street_name()} {number}\n{fake.postcode()} {_faker_city(ctx).upper()}"
    if loc == "en_GB":
        return f"{number} {fake.street_name()}\n{_faker_city(ctx)}\n{fake.postcode()}"
    return (
        f"{number} {fake.street_name()}\n{_faker_city(ctx)}, {fake.state_abbr()} {fake.zipcode()}"
    )


def _address_inline(ctx: _Context) -> str:
    return _address(ctx).replace("\n", ", ")


def _city(ctx: _Context) -> str:
    if ctx.locale == "ja_JP":
        return ctx.rng.choice(_JP_PLACES)[2]
    if ctx.locale == "et_EE":
        return ctx.rng.choice(_EE_CITIES)[0]
    return _faker_city(ctx)


def _iban(ctx: _Context) -> str:
    iban = str(ctx.fake.iban())
    if ctx.rng.random() < 0.5:
        return iban
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _card(ctx: _Context) -> str:
    number = str(ctx.fake.credit_card_number(card_type=ctx.rng.choice(("visa16", "mastercard"))))
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def _nino(ctx: _Context) -> str:
    letters = "ABCEGHJKLMNPRSTWXYZ"
    prefix = ctx.rng.choice(letters) + ctx.rng.choice(letters.replace("O", ""))
    digits = ctx.digits(6)
    return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {ctx.rng.choice('ABCD')}"


def _nir(ctx: _Context) -> str:
    sex, year, month = ctx.rng.choice("12"), ctx.digits(2), f"{ctx.rng.randint(1, 12):02d}"
    place, order = f"{ctx.rng.randint(1, 95):02d}{ctx.digits(3)}", ctx.digits(3)
    body = f"{sex}{year}{month}{place}{order}"
    key = 97 - int(body) % 97
    return f"{sex} {year} {month} {place[:2]} {place[2:]} {order} {key:02d}"


def _de_tax_id(ctx: _Context) -> str:
    """Eleven digits, first not zero, with the ISO 7064 MOD 11,10 check digit."""
    digits = ctx.rng.choice("123456789") + ctx.digits(9)
    product = 10
    for char in digits:
        total = (int(char) + product) % 10 or 10
        product = total * 2 % 11
    check = (11 - product) % 10
    number = digits + str(check)
    return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}"


def _national_id(ctx: _Context) -> str:
    return {
        "fr_FR": _nir,
        "de_DE": _de_tax_id,
        "es_ES": lambda c: str(c.fake.nif()),
        "it_IT": lambda c: str(c.fake.ssn()),
        "nl_NL": lambda c: str(c.fake.ssn()),
    }[ctx.locale](ctx)


def _password(ctx: _Context) -> str:
    word = ctx.rng.choice(("Correct", "Blue", "orange", "Winter", "kitten", "Rocket"))
    tail = ctx.rng.choice(("Horse", "Sky", "42", "_2024", "Moon", ""))
    return f"{word}{tail}{ctx.digits(ctx.rng.randint(2, 4))}{ctx.rng.choice('!%^*.~')}"


def _user(ctx: _Context) -> str:
    return ctx.rng.choice(("svc_reporting", "admin", "deploy", "app_user", "etl"))


def _basic(ctx: _Context) -> str:
    return base64.b64encode(f"{_user(ctx)}:{_password(ctx)}".encode()).decode()


def _secret_key(ctx: _Context) -> str:
    alphabet = string.ascii_letters + string.digits + "/+"
    return "".join(ctx.rng.choice(alphabet) for _ in range(40))


def _ip(ctx: _Context) -> str:
    return ".".join(str(ctx.rng.randint(1, 254)) for _ in range(4))


def _order(ctx: _Context) -> str:
    return ctx.rng.choice((f"PO-{ctx.digits(6)}", f"TCK-{ctx.digits(5)}", f"REF {ctx.digits(4)}/B"))


def _price(ctx: _Context) -> str:
    whole, cents = ctx.rng.randint(2, 4999), ctx.digits(2)
    return f"{whole},{cents} €" if _lang(ctx) != "en" else f"${whole}.{cents}"


def _company(ctx: _Context) -> str:
    return str(ctx.fake.company())


def _url(ctx: _Context) -> str:
    slug = _ascii(_first(ctx)).lower() + _ascii(_last(ctx)).lower()
    return ctx.rng.choice((f"https://{slug}.dev/about", f"https://www.instagram.com/{slug}"))


SLOTS: dict[str, Slot] = {
    "person": Slot(_person, "PERSON"),
    "other_person": Slot(_person, "PERSON"),
    "third_person": Slot(_person, "PERSON"),
    "first": Slot(_first, "PERSON"),
    "last": Slot(_last, "PERSON"),
    "email": Slot(_email, "EMAIL_ADDRESS"),
    "other_email": Slot(_email, "EMAIL_ADDRESS"),
    "phone": Slot(_phone, "PHONE_NUMBER"),
    "other_phone": Slot(_phone, "PHONE_NUMBER"),
    "address": Slot(_address, "LOCATION"),
    "address_inline": Slot(_address_inline, "LOCATION"),
    "city": Slot(_city, "LOCATION"),
    "other_city": Slot(_city, "LOCATION"),
    "date": Slot(_date, "DATE_TIME", fresh=True),
    "dob": Slot(_date, "DATE_TIME"),
    "iban": Slot(_iban, "IBAN_CODE"),
    "card": Slot(_card, "CREDIT_CARD"),
    "company": Slot(_company, "ORGANIZATION"),
    "nrp": Slot(lambda ctx: ctx.rng.choice(_NRP), "NRP"),
    "url": Slot(_url, "URL"),
    "ip": Slot(_ip, "IP_ADDRESS"),
    "nino": Slot(_nino, "UK_NINO"),
    "national_id": Slot(_national_id, "PII"),  # entity set per locale, see _NATIONAL_ID
    "passport": Slot(lambda ctx: ctx.rng.choice("CKPX") + ctx.digits(8), "PASSPORT"),
    "password": Slot(_password, "PASSWORD"),
    "basic_auth": Slot(_basic, "PASSWORD"),
    "secret_key": Slot(_secret_key, "API_KEY"),
    # hard negatives
    "db_user": Slot(_user, negative="user_name"),
    "relative_date": Slot(
        lambda ctx: ctx.rng.choice(_RELATIVE[_lang(ctx)]), negative="relative_date", fresh=True
    ),
    "order_code": Slot(_order, negative="order_code", fresh=True),
    "price": Slot(_price, negative="number", fresh=True),
}
_NATIONAL_ID = {
    "fr_FR": "FR_NIR",
    "de_DE": "DE_TAX_ID",
    "es_ES": "ES_NIF",
    "it_IT": "IT_FISCAL_CODE",
    "nl_NL": "NL_BSN",
}

_EU = ("fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL")

# --- families ---------------------------------------------------------------------------------

FAMILIES: dict[str, Family] = {
    "intl_address_prose": Family(
        "en",
        ("fi_FI", "et_EE", "pt_BR", "en_IN", "ja_JP", "hu_HU", *_EU),
        {
            "intl_contract_recipient": (
                "user",
                "Before I courier the contract: it goes to {person}, whose office is at\n"
                "{address}\nand they want it {relative_date}. Is the layout right for the "
                "local post?",
            ),
            "intl_relocation": (
                "user",
                "Our support desk is relocating. From next quarter the address is "
                "{address_inline}; {person} signs for deliveries.",
            ),
            "intl_grandmother": (
                "user",
                "My grandmother lives in {city}. How long would a parcel take to reach her at "
                "{address_inline}? I want it there for her birthday on {date}.",
            ),
            "intl_letterhead": (
                "assistant",
                "Here is the header for your letter:\n\n{person}\n{address}\n\n"
                "Dear {other_person},",
            ),
        },
    ),
    "world_names": Family(
        "en",
        (
            "en_IN",
            "ja_JP",
            "zh_CN",
            "vi_VN",
            "tr_TR",
            "pl_PL",
            "yo_NG",
            "sw",
            "hu_HU",
            "fi_FI",
            "pt_BR",
            "es_ES",
            "et_EE",
        ),
        {
            "names_minutes": (
                "user",
                "Tidy up these minutes: {person} presented the Q3 numbers, {other_person} "
                "raised the vendor risk, {third_person} takes the follow-up.",
            ),
            "names_pronounce": (
                "user",
                "How do I pronounce {person}? They are my new manager and I'd rather not get it "
                "wrong in {relative_date}'s meeting.",
            ),
            "names_eulogy": (
                "user",
                "I'm writing a few words for my uncle {person}, who grew up as a {nrp} in "
                "{city}. Can you help me open it warmly?",
            ),
            "names_invite": (
                "assistant",
                "Done: {other_person} and {third_person} are on the invite, and {person} is "
                "the organiser.",
            ),
        },
    ),
    "lowercase_chat": Family(
        "en",
        ("en_US", "en_GB"),
        {
            "lc_number_changed": (
                "user",
                "hey its {person} again, my number changed to {phone}. also can u send the "
                "invoice to {email}? thx",
            ),
            "lc_meeting": (
                "user",
                "ok so {other_person} from {company} says the meetup is {relative_date} in "
                "{city}, write me a quick reminder",
            ),
            "lc_reply": ("assistant", "sure {first}! here's a short reminder for {other_person}:"),
        },
        case="lower",
    ),
    "allcaps_chat": Family(
        "en",
        ("en_US", "en_GB"),
        {
            "uc_locked_out": (
                "user",
                "URGENT!! {person} CANNOT LOG IN. ACCOUNT EMAIL IS {email}, CALL {phone} ASAP",
            ),
            "uc_ship": ("user", "PLEASE SHIP ORDER {order_code} TO {address_inline} BY {date}"),
        },
        case="upper",
    ),
    "pasted_forms": Family(
        "en",
        ("en_GB", "en_US", "en_IN"),
        {
            "form_application": (
                "user",
                "Can you check this form for mistakes?\n\nSurname:\t{last}\nGiven names:\t"
                "{first}\nDate of birth:\t{dob}\nPassport no.:\t{passport}\nAddress:\t"
                "{address_inline}\nTelephone:\t{phone}\nE-mail:\t{email}",
            ),
            "form_payroll": (
                "user",
                "NEW STARTER\nName ........ {person}\nNI number ... {nino}\nBank ........ {iban}"
                "\nStart date .. {date}\nManager ..... {other_person}",
            ),
            "form_assistant": (
                "assistant",
                "The form looks complete. One thing: the date of birth ({dob}) and the passport "
                "number ({passport}) should be double-checked against the document.",
            ),
        },
    ),
    "email_threads": Family(
        "en",
        ("en_US", "en_GB", "en_IN"),
        {
            "thread_reply_signature": (
                "user",
                "Rewrite this more politely:\n\nHi {first},\n\nI've looped in {other_person} "
                "who owns the budget. Please confirm the PO {relative_date}.\n\nCheers,\n"
                "{person}\nSenior Buyer | {company}\nM: {phone}\n{email}\n\n"
                "-----Original Message-----\nFrom: {other_person} <{other_email}>\n"
                "Sent: {date}\nSubject: RE: renewal {order_code}",
            ),
            "thread_quoted": (
                "user",
                "> On {date}, {other_person} <{other_email}> wrote:\n> Could you send me the "
                "signed NDA?\n\nAttached. Shout if anything is missing.\n\n--\n{person}\n"
                "{address}\nTel. {phone}",
            ),
            "thread_assistant": (
                "assistant",
                "Here's a softer version:\n\nDear {first},\n\nThank you for your patience. "
                "{other_person} will confirm the order shortly.\n\nKind regards,\n{person}",
            ),
        },
    ),
    "json_and_logs": Family(
        "en",
        ("en_US", "en_GB", "de_DE"),
        {
            "json_event": (
                "user",
                'why is this event rejected?\n{{"event": "signup", "user": {{"name": '
                '"{person}", "email": "{email}", "phone": "{phone}"}}, "ip": "{ip}", '
                '"order": "{order_code}"}}',
            ),
            "log_auth": (
                "user",
                "2025-11-03 08:14:55,201 WARN auth.sso - failed login user={email} src={ip} "
                'display_name="{person}" ref={order_code}',
            ),
            "log_payment": (
                "user",
                "Explain this error:\n[ERROR] PaymentService: charge declined card={card} "
                "holder='{person}' iban={iban}",
            ),
        },
    ),
    "markdown_tables": Family(
        "en",
        ("en_US", "en_GB", "en_IN"),
        {
            "md_contacts": (
                "user",
                "Turn this into CSV:\n\n| Name | Email | Phone | City |\n|---|---|---|---|\n"
                "| {person} | {email} | {phone} | {city} |\n"
                "| {other_person} | {other_email} | {other_phone} | {other_city} |",
            ),
            "md_payroll": (
                "assistant",
                "| Employee | Start date | IBAN | Cost |\n| --- | --- | --- | ---: |\n"
                "| {person} | {date} | {iban} | {price} |",
            ),
        },
    ),
    "config_secrets": Family(
        "en",
        ("en_US",),
        {
            "secret_json_password": (
                "user",
                'my deploy fails, config below\n```json\n{{"db": {{"user": "{db_user}", '
                '"password": "{password}", "host": "{ip}"}}}}\n```',
            ),
            "secret_connection_string": (
                "user",
                "DATABASE_URL=postgres://{db_user}:{password}@{ip}:5432/orders gives 'auth "
                "failed', why?",
            ),
            "secret_curl_user": (
                "user",
                "curl -u {db_user}:{password} https://api.example.com/v2/export returns 401",
            ),
            "secret_basic_header": (
                "user",
                "The proxy sends `Authorization: Basic {basic_auth}` on every call. Is that safe?",
            ),
            "secret_env_export": (
                "user",
                "export AWS_SECRET_ACCESS_KEY={secret_key}\nexport AWS_REGION=eu-west-1\n"
                "then boto3 still says no credentials",
            ),
        },
    ),
    "chat_fr": Family(
        "fr",
        ("fr_FR",),
        {
            "fr_intro": (
                "user",
                "Bonjour, je m'appelle {person} et je n'arrive plus à me connecter. Mon adresse "
                "e-mail est {email}, vous pouvez me rappeler au {phone} ?",
            ),
            "fr_address": (
                "user",
                "Merci d'envoyer la facture {order_code} à :\n{address}\navant {relative_date}.",
            ),
            "fr_admin": (
                "user",
                "Pour le dossier : numéro de sécurité sociale {national_id}, né le {dob}, "
                "IBAN {iban}.",
            ),
            "fr_reply": (
                "assistant",
                "Bien sûr {first}, voici un brouillon pour {other_person} de {company} :",
            ),
        },
    ),
    "chat_de": Family(
        "de",
        ("de_DE",),
        {
            "de_intro": (
                "user",
                "Hallo, hier ist {person}. Ich erreiche niemanden unter {phone}, bitte "
                "antworten Sie an {email}.",
            ),
            "de_address": (
                "user",
                "Bitte die Lieferung {order_code} an folgende Adresse:\n{address}\n"
                "spätestens {relative_date}.",
            ),
            "de_admin": (
                "user",
                "Für die Lohnabrechnung: Steuer-ID {national_id}, geboren am {dob}, IBAN {iban}.",
            ),
            "de_reply": (
                "assistant",
                "Gern, {first}. Hier ein Entwurf an {other_person} von {company}:",
            ),
        },
    ),
    "chat_es": Family(
        "es",
        ("es_ES",),
        {
            "es_intro": (
                "user",
                "Hola, soy {person}. ¿Me podéis escribir a {email} o llamar al {phone}?",
            ),
            "es_address": (
                "user",
                "Enviad el pedido {order_code} a esta dirección:\n{address}\nantes de "
                "{relative_date}, por favor.",
            ),
            "es_admin": (
                "user",
                "Para el contrato: NIF {national_id}, fecha de nacimiento {dob}, cuenta {iban}.",
            ),
            "es_reply": (
                "assistant",
                "Claro, {first}. Aquí tienes un borrador para {other_person} de {company}:",
            ),
        },
    ),
    "chat_it": Family(
        "it",
        ("it_IT",),
        {
            "it_intro": (
                "user",
                "Buongiorno, sono {person}. Potete scrivermi a {email} o chiamarmi al {phone}?",
            ),
            "it_address": (
                "user",
                "Spedite l'ordine {order_code} a questo indirizzo:\n{address}\nentro "
                "{relative_date}.",
            ),
            "it_admin": (
                "user",
                "Per la pratica: codice fiscale {national_id}, nato il {dob}, IBAN {iban}.",
            ),
            "it_reply": (
                "assistant",
                "Certo {first}, ecco una bozza per {other_person} di {company}:",
            ),
        },
    ),
    "chat_nl": Family(
        "nl",
        ("nl_NL",),
        {
            "nl_intro": (
                "user",
                "Hoi, met {person}. Kunnen jullie mailen naar {email} of bellen op {phone}?",
            ),
            "nl_address": (
                "user",
                "Stuur bestelling {order_code} graag naar:\n{address}\nvóór {relative_date}.",
            ),
            "nl_admin": (
                "user",
                "Voor de salarisadministratie: BSN {national_id}, geboren op {dob}, "
                "rekening {iban}.",
            ),
            "nl_reply": (
                "assistant",
                "Natuurlijk {first}, hier is een concept voor {other_person} van {company}:",
            ),
        },
    ),
}


def template_text(name: str) -> str:
    """The text of a held-out template, by name."""
    for family in FAMILIES.values():
        if name in family.templates:
            return family.templates[name][1]
    raise KeyError(name)


def _cased(text: str, case: str) -> str:
    """The text in lower or upper case, character by character so that offsets hold
    (a character whose case form has another length, like ß, is kept)."""
    if not case:
        return text
    change = str.lower if case == "lower" else str.upper
    return "".join(c2 if len(c2 := change(c)) == 1 else c for c in text)


def generate(seed: int = DEFAULT_SEED, conversations: int = 200) -> list[Conversation]:
    """``conversations`` conversations of 1-4 messages, each from one held-out family and one
    of its locales. Families are dealt in shuffled rounds, so every family appears before
    any appears twice."""
    from benchmarks.corpus import GoldSpan

    ctx = _Context(seed)
    families = _Deck(sorted(FAMILIES), ctx.rng)
    out: list[Conversation] = []
    for index in range(conversations):
        name = families.draw()
        family = FAMILIES[name]
        ctx.locale, ctx.lang = ctx.rng.choice(family.locales), family.lang
        decks = {
            role: _Deck(sorted(t for t, (r, _) in family.templates.items() if r == role), ctx.rng)
            for role in ("user", "assistant")
        }
        cache: dict[str, str] = {}
        messages: list[Message] = []
        for turn in range(ctx.rng.randint(1, 4)):
            role = "user" if turn % 2 == 0 else "assistant"
            # A family without assistant templates has the assistant quote a user template.
            template = decks[role if decks[role].names else "user"].draw()
            text, spans, negatives = _render(
                template, family.templates[template][1], ctx, cache, SLOTS
            )
            spans = [
                GoldSpan(s.start, s.end, _NATIONAL_ID[ctx.locale], s.template, s.slot)
                if s.slot == "national_id"
                else s
                for s in spans
            ]
            messages.append(
                Message(
                    role,
                    _cased(text, family.case),
                    template,
                    tuple(spans),
                    tuple(negatives),
                    family.lang,
                )
            )
        out.append(Conversation(f"held-{seed}-{index:05d}-{name}", tuple(messages)))
    return out


def family_of(template: str) -> str:
    for name, family in FAMILIES.items():
        if template in family.templates:
            return name
    raise KeyError(template)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.heldout", description=__doc__)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--conversations", type=int, default=len(FAMILIES))
    args = parser.parse_args(argv)
    for conversation in generate(args.seed, args.conversations):
        print(f"=== {conversation.id}")
        for message in conversation.messages:
            print(f"--- {message.role} [{message.lang}] {message.template}")
            print(message.content)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
