"""The library's own pattern recognizers (no spaCy model involved)."""

from __future__ import annotations

import pytest

from pii_mapper.detection.patterns import (
    ApiKeyRecognizer,
    CuedNameRecognizer,
    EmailRecognizer,
    EthereumAddressRecognizer,
    IpRecognizer,
    OrganizationRecognizer,
    PasswordRecognizer,
    PhoneRecognizer,
    PractitionerNumberRecognizer,
    Recognizer,
    TextDateRecognizer,
    UrlRecognizer,
    follows_version_cue,
)


def found(recognizer: Recognizer, text: str, threshold: float = 0.4) -> list[str]:
    return [text[d.start : d.end] for d in recognizer.find(text) if d.score >= threshold]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail a.b@example.com now", ["a.b@example.com"]),
        ("Write to Zoe.O'Neil+tag@mail.co.uk.", ["Zoe.O'Neil+tag@mail.co.uk"]),
        ("user@localhost is not an address", []),
        ("version@3.12.1 is not one either", []),
        ("no at sign here", []),
    ],
)
def test_email_addresses_need_a_known_public_suffix(text: str, expected: list[str]) -> None:
    assert found(EmailRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://acme.io/docs?a=1.", ["https://acme.io/docs?a=1"]),
        ("go to www.example.org, then", ["www.example.org"]),
        ("bare example.com/path works", ["example.com/path"]),
        ("mail a.b@example.com only", []),
        ("run setup.py and read README.md", []),
        ("python 3.12.1 is out", []),
        ("# gradle.properties (do not commit)", []),
        (
            "bestätigen Sie hier: „http://paket-info.top/de“ - Phishing?",
            ["http://paket-info.top/de"],
        ),
        ("voir «https://acme.fr/aide»", ["https://acme.fr/aide"]),
    ],
)
def test_urls_skip_email_domains_files_and_versions(text: str, expected: list[str]) -> None:
    assert found(UrlRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("server 10.0.0.12 is down", ["10.0.0.12"]),
        ("subnet 192.168.0.0/24.", ["192.168.0.0/24"]),
        ("ipv6 2001:db8::8a2e:370:7334 ok", ["2001:db8::8a2e:370:7334"]),
        ("version 1.2.3.4.5 and 300.1.1.1", []),
        ("it is 10:30:00 now", []),
        ("see version 3.2.1.4 and build 10.4.1.7", []),
        ("we upgraded to 4.1.0.2 last week", []),
        ("upgraded to 10.0.0.5, the new host", ["10.0.0.5"]),  # an address cue wins
        ("ping 8.8.8.8", ["8.8.8.8"]),
        ("AllowedIPs = 0.0.0.0/0", []),
    ],
)
def test_ip_addresses_are_checked_by_ipaddress(text: str, expected: list[str]) -> None:
    assert found(IpRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me at (415) 555-2671 today", ["(415) 555-2671"]),
        ("London office +44 20 7946 0958.", ["+44 20 7946 0958"]),
        ("Berlin: +49 30 901820", ["+49 30 901820"]),
        ("my phone: 4155552671", ["4155552671"]),
        ("order 4155552671 shipped", []),  # a bare digit run needs a context word
        ("SSN 536-22-8726", []),
        ("on 2024-03-15 we met", []),
        ("version 3.12.1", []),
        ("new number (212) 941-0077 from Monday", ["(212) 941-0077"]),
        ("reach me on 0131 496 0822 after six", ["0131 496 0822"]),  # UK trunk form
        ("Tel +44 (0)131 496 0822", ["+44 (0)131 496 0822"]),  # "(0)" after the code
        ("Mobile: 001-212-941-0077", ["001-212-941-0077"]),
        ("cell +1 299 555 0147", ["+1 299 555 0147"]),  # unassigned area code, right length
        ("2026-02-14 09:31:07 INFO started", []),  # a timestamp
        ("invoice 2025-0042-7781 paid", []),
        ("build 4.18.2.19044 released", []),
        ("ip 192.168.100.200 up", []),
        ("mob 91234 56789", ["91234 56789"]),  # an Indian mobile after a short cue
        ('"tel": "600 000 000"', []),  # a placeholder
        ("call 555-111-1111 for a demo", []),
    ],
)
def test_phone_numbers_are_validated_and_bare_digits_need_context(
    text: str, expected: list[str]
) -> None:
    assert found(PhoneRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key sk-live-abcdefghijklmnop1234 here", ["sk-live-abcdefghijklmnop1234"]),
        ("token ghp_" + "a1B2" * 9, ["ghp_" + "a1B2" * 9]),
        ("AWS AKIAIOSFODNN7EXAMPLE.", ["AKIAIOSFODNN7EXAMPLE"]),
        ("Authorization: Bearer abc123def456ghi789jkl", ["abc123def456ghi789jkl"]),
        ("the api key is in the vault", []),
        ("our API is documented", []),
        (
            "PrivateKey = Gm2bX9qL0wR7tY4uI1oP8aS5dF3hJ6kZ9xC2vB5nM8Q=",
            ["Gm2bX9qL0wR7tY4uI1oP8aS5dF3hJ6kZ9xC2vB5nM8Q="],
        ),
        ('MAPS_KEY: "Qp81Zx0Lm2Rt5Vw8Yb3Nc6"', ["Qp81Zx0Lm2Rt5Vw8Yb3Nc6"]),
        (
            "SG.Aa1Bb2Cc3Dd4Ee5Ff6.Gg7Hh8Ii9Jj0Kk1Ll2Mm3",
            ["SG.Aa1Bb2Cc3Dd4Ee5Ff6.Gg7Hh8Ii9Jj0Kk1Ll2Mm3"],
        ),
        ("the monkey_key is missing", []),
    ],
)
def test_api_keys_by_format_or_after_a_cue(text: str, expected: list[str]) -> None:
    assert found(ApiKeyRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("password: hunter2!", ["hunter2!"]),
        ('pwd="s3cr3t pass"', ["s3cr3t pass"]),  # a quoted value may hold spaces
        ("my password is Tr0ub4dor&3.", ["Tr0ub4dor&3"]),
        ("I forgot my password again", []),
        ("use a password manager", []),
        ('{"user": "build", "password": "Orchid!552"}', ["Orchid!552"]),
        ("smtp:\n  host: mail\n  password: Lamp_Post_93\n", ["Lamp_Post_93"]),
        ("SMTP_PASS=Velvet7Owl", ["Velvet7Owl"]),
        ("export REDIS_PASSWORD=k2Lp9x", ["k2Lp9x"]),
        ("pw: Quartz&19", ["Quartz&19"]),
        ("login bob / p: Nimbus42", ["Nimbus42"]),
        ("effect size d=0.4, p=0.031", []),
        ("pass: free for members", []),
        ("bypass: Rx8812", []),
        ('passphrase "seven lazy otters swim north"', ["seven lazy otters swim north"]),
        ("notre mot de passe est Cerise2019", ["Cerise2019"]),
        ("Passwort: Fjord#77", ["Fjord#77"]),
        ("Passwort vergessen?", []),
        ("mi contraseña es Luna_88", ["Luna_88"]),
        ("het wachtwoord: Molen!31", ["Molen!31"]),
        ("the PIN is 7305, do not share", ["7305"]),
        ("PIN-Code: 558812", ["558812"]),
        ("pin the tab to the left", []),
        ("the old pw Marlin#62 still works", ["Marlin#62"]),
        ("mon mdp c'est Lavande!7", ["Lavande!7"]),
        ("pw reset done", []),
        ("event=login reason=wrong_password retries=3", []),  # a cue inside an identifier
        ("site,user,password\nwiki,kim,Zebra-41", []),  # a column header, not a value
        ("Password\tExpires\nHx-71b\t2031", []),
        ("log in with password <your-password>", []),  # placeholders
        ("DB_PASSWORD=${DB_PASSWORD}", []),
        ("password: ********", []),
        ("POSTGRES_USER=shop\nPOSTGRES_PASSWORD=Kiwi&Mango4", ["Kiwi&Mango4"]),
        ("Server=db1;User Id=app;Password=Hazel!2030;", ["Hazel!2030"]),
    ],
)
def test_passwords_follow_a_cue(text: str, expected: list[str]) -> None:
    assert found(PasswordRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DSN=postgresql://billing:Nectar%2179@pg.example.net:5432/ledger", ["Nectar%2179"]),
        ("mongodb+srv://etl:Vq81rT@cl0.example.net/?retryWrites=true", ["Vq81rT"]),
        ("REDIS_URL=redis://:Opal4422@cache:6379/0", ["Opal4422"]),
        ("curl -u ci-bot:Gr4nite-Sky https://api.example.org/v1", ["Gr4nite-Sky"]),
        ("curl --user=ops:Rt55!abc https://api.example.org", ["Rt55!abc"]),
        ("see https://example.org/a:b and mailto links", []),
        # base64 of "ci:Copper-Kettle-8"
        ("Authorization: Basic Y2k6Q29wcGVyLUtldHRsZS04", ["Y2k6Q29wcGVyLUtldHRsZS04"]),
        ("Basic Instructions for new staff", []),
        ("mysql -h db1 -u report -p Qa!77wrt", ["Qa!77wrt"]),
        ("sshpass -p Fern9-Lake ssh ops@host", ["Fern9-Lake"]),
        ("docker run -u 1000 -p 8080:80 app", []),
        ("mkdir -p build2 && ls -p out", []),
        ("Basic QWxhZGRpbg== is not a pair", []),  # "Aladdin": no colon
    ],
)
def test_credentials_in_urls_curl_and_basic_auth(text: str, expected: list[str]) -> None:
    assert found(PasswordRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # door, safe and alarm codes, one-time codes, PINs, in the six languages
        ("Der Tresor hat den Code 583920, bitte merken", ["583920"]),
        ("la caja fuerte tiene el código 771204, dentro", ["771204"]),
        ("il codice del cancello è 90412", ["90412"]),
        ("le digicode : 4B? non, 7720", []),  # the cue is not right before the digits
        ("le digicode est 7720", ["7720"]),
        ("de toegangscode is 5512", ["5512"]),
        ("the door code for the lab changed to 4826# - keep it", ["4826"]),
        ("your verification code is 449021", ["449021"]),
        ("Türcode: 1904", ["1904"]),
        ("alarm code 7741*", ["7741"]),
        ("il pin della carta 3391 non va", ["3391"]),
        ("mi PIN de la tarjeta es 8120", ["8120"]),
        # a password cue, a verb and the value, in each language
        ("het wachtwoord veranderd naar Herfst2024!! werkt niet", ["Herfst2024!!"]),
        ("mein Passwort ist jetzt Sonne#2024", ["Sonne#2024"]),
        ("mot de passe changé en Lilas!45", ["Lilas!45"]),
        ("la contraseña cambiada a Gato_99", ["Gato_99"]),
        ("la password cambiata in Mare2023!", ["Mare2023!"]),
        ("my password was reset to Comet-4471", ["Comet-4471"]),
        # codes that are no secret
        ("error code 5001", []),
        ("HTTP status code 4040", []),
        ("zip code 10115", []),
        ("promo code 2025", []),
        ("code postal 75011", []),
        ("código postal 28013", []),
        ("codice cliente 123456", []),
        ("booking code 884512", []),
        ("the code 2025 of practice", []),
        ("PIN changed in 2025", []),
        ("Fehlercode 5003", []),
        ("code de erreur", []),
    ],
)
def test_codes_and_pins_after_a_cue(text: str, expected: list[str]) -> None:
    assert found(PasswordRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "wallet 0x52908400098527886E0F7030069857D2E4169EE7 ok",
            ["0x52908400098527886E0F7030069857D2E4169EE7"],
        ),
        ("0x1234 and 0xdeadbeef", []),
        ("sha 52908400098527886e0f7030069857d2e4169ee7", []),  # no 0x
        ("0x52908400098527886E0F7030069857D2E4169EE7A", []),  # 41 digits
    ],
)
def test_ethereum_addresses(text: str, expected: list[str]) -> None:
    assert found(EthereumAddressRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr Martin, RPPS 10101234567 : patient", ["10101234567"]),
        ("n° RPPS : 10101234567", ["10101234567"]),
        ("numéro ADELI 751012345", ["751012345"]),
        ("huisarts (BIG 19012345601)", ["19012345601"]),
        ("BIG-nummer: 39012345601", ["39012345601"]),
        ("a big 12345678901 number", []),  # "BIG" is a cue in capitals only
        ("RPPS 1234", []),
        ("RPPS 751012345", []),  # nine digits: an ADELI number's length
        ("order 10101234567", []),
    ],
)
def test_practitioner_numbers_after_their_cue(text: str, expected: list[str]) -> None:
    assert found(PractitionerNumberRecognizer(), text) == expected


def test_a_pgp_private_key_block_is_one_api_key() -> None:
    block = (
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGX0aZ8BCAC9zP1q\n=Xq2T\n"
        "-----END PGP PRIVATE KEY BLOCK-----"
    )
    assert found(ApiKeyRecognizer(), f"key:\n{block}\nthanks") == [block]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail k.osei@payroll.corp.local today", ["k.osei@payroll.corp.local"]),
        ("ops@build.internal, it@office.lan", ["ops@build.internal", "it@office.lan"]),
        ("router admin@gw.home.arpa", ["admin@gw.home.arpa"]),
        ("ssh admin@intranet or user@localhost", []),  # bare hosts: not mailboxes
        ("icon@2x.png and logo@3x.local.png", []),
        ("x@.local", []),
        ("postgresql://app:Pw12@db.example.com/x", []),  # a password and a host
    ],
)
def test_email_addresses_on_internal_domains(text: str, expected: list[str]) -> None:
    assert found(EmailRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("recognizer", "text", "expected"),
    [
        (EmailRecognizer(), "请联系李娜li.na@example.cn谢谢", ["li.na@example.cn"]),
        (EmailRecognizer(), "メールはtaro.y@example.jpまで", ["taro.y@example.jp"]),
        (IpRecognizer(), "服务器10.20.30.40已经重启", ["10.20.30.40"]),
        (PhoneRecognizer(), "请拨打+86 138 0013 8000联系", ["+86 138 0013 8000"]),
        (PhoneRecognizer(), "전화+82 2 312 3456주세요", ["+82 2 312 3456"]),
        (PhoneRecognizer(), "電話06-6345-7781まで", ["06-6345-7781"]),  # a cue lifts Japan's plan
        (PhoneRecognizer(), "电话\uff1a13912345678", ["13912345678"]),
        (PhoneRecognizer(), "编号20240315001号", []),
    ],
)
def test_ascii_values_glued_to_cjk_text(
    recognizer: Recognizer, text: str, expected: list[str]
) -> None:
    assert found(recognizer, text) == expected


def test_offsets_are_exact_on_non_ascii_text() -> None:
    text = "Grüße 👋 — mail zoë@example.de or call +33 1 42 68 53 00"
    spans = [*EmailRecognizer().find(text), *PhoneRecognizer().find(text)]
    assert sorted(text[s.start : s.end] for s in spans) == ["+33 1 42 68 53 00", "zoë@example.de"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hi maria, can you help", ["maria"]),
        ("Thanks Maria!", ["Maria"]),
        ("Best regards,\nJohn Smith\nAcme", ["John Smith"]),
        ("Cheers,\n-- Bob", ["Bob"]),
        ("my name is maria gonzalez", ["maria gonzalez"]),
        ("I'm Ann Lee and I'm fine", ["Ann Lee"]),
        ("Hi there, I am going home", []),
        ("Hello Team", []),
        ("thanks for the help", []),
        ("This is Acme Support", []),
    ],
)
def test_names_after_greetings_introductions_and_sign_offs(text: str, expected: list[str]) -> None:
    assert found(CuedNameRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from Feb 12, 1959 to", ["Feb 12, 1959"]),
        ("on 12th of March 2020.", ["12th of March 2020"]),
        ("born 3 May 1990", ["3 May 1990"]),
        ("you may 5 times", []),
        ("the 1st of may", []),
        ("DOB 14-sep-1981 (per form)", ["14-sep-1981"]),
        ("issued 9-Jun-03", ["9-Jun-03"]),
        ("can we do Thursday 9th instead", ["Thursday 9th"]),
        ("from tuesday the 2nd of june", ["tuesday the 2nd of june"]),
        ("see you friday 7 pm", []),  # no ordinal: a time as often as a date
        ("Sun 1st place, Sat 2nd", []),
        ("入社日は2019年10月1日です", ["2019年10月1日"]),
        ("版本20190年1月", []),
    ],
)
def test_dates_with_a_month_name(text: str, expected: list[str]) -> None:
    assert found(TextDateRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Best,\nJohn Smith\nGlobex Corporation", ["Globex Corporation"]),
        ("I work at Acme Inc. now.", ["Acme Inc."]),
        ("Smith, Jones and Brown LLC sued", ["Smith, Jones and Brown LLC"]),
        ("Wayne Enterprises called.", ["Wayne Enterprises"]),
        ("The Bank of England", []),
        ("Our Group is big", []),
        # legal forms of many countries, the name read back over capitalised words
        ("Factura a Carpintería Hermanos Ruiz S.L. con CIF", ["Carpintería Hermanos Ruiz S.L."]),
        ("fornitore Tipografia Bassi S.r.l., via Roma", ["Tipografia Bassi S.r.l."]),
        ("vendor Kaveri Spices Pvt. Ltd.\nPlot 3", ["Kaveri Spices Pvt. Ltd."]),
        ("Cliente: Padaria Boa Vista Ltda.", ["Padaria Boa Vista Ltda."]),
        ("Boulangerie Gagnon Inc. a livré", ["Boulangerie Gagnon Inc."]),
        ("Rechnung an Malerbetrieb Krüger e.K. senden", ["Malerbetrieb Krüger e.K."]),
        ("Dla: Kowalczyk i Synowie sp. z o.o., ul. Długa", ["Kowalczyk i Synowie sp. z o.o."]),
        ("Tallinna Tarkvara OÜ invoice", ["Tallinna Tarkvara OÜ"]),
        ("Müller Logistik GmbH & Co. KG, Hamburg", ["Müller Logistik GmbH & Co. KG"]),
        ("the Dupont et Fils SARL site", ["Dupont et Fils SARL"]),
        ("Norsk Fisk AS, then Hansen ApS", ["Norsk Fisk AS", "Hansen ApS"]),
        ("Lagos Solar Co-op", ["Lagos Solar Co-op"]),
        ("2025-0142,Lindqvist Marin AB,ap@x.se", ["Lindqvist Marin AB"]),
        ("Smith Bros. Ltd", ["Smith Bros. Ltd"]),
        ("Operations, Vriddhi Textiles Pvt. Ltd.", ["Vriddhi Textiles Pvt. Ltd."]),
        # hard negatives: no name before the suffix, a sentence or a clause before it
        ("Hallo Schmidt Bau GmbH", ["Schmidt Bau GmbH"]),
        ("SUCH AS THIS", []),
        ("We use GmbH rules", []),
        ("die neue GmbH gründen", []),
        ("Ana Ruiz de Acme S.L.", ["Acme S.L."]),  # a person of a company
        ("See you. Acme Inc", ["Acme Inc"]),
        ("questo è un srl", []),
        # a name never reaches back over the company before it: no chain of overlaps
        ("Acme GmbH Acme GmbH Acme GmbH", ["Acme GmbH", "Acme GmbH", "Acme GmbH"]),
    ],
)
def test_organizations_by_legal_or_trade_suffix(text: str, expected: list[str]) -> None:
    assert found(OrganizationRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "cued"),
    [
        ("version 1.13.19", True),
        ("Please upgrade to 1.13.19", True),
        ("bumped to 2.0.1", True),
        ("v2.0.1", True),
        ("release 2024.1", True),
        ("on 1.13.19", False),
        ("the dev 2.0.1", False),  # "v" only as a word of its own
        ("my version is 1.13.19", False),  # the cue must stand right before the number
    ],
)
def test_version_cues_stand_right_before_the_number(text: str, cued: bool) -> None:
    assert follows_version_cue(text, len(text.rstrip(".0123456789"))) is cued


def test_a_date_after_a_version_cue_is_not_a_date() -> None:
    from pii_mapper.detection.engine import is_absolute_date

    def date_in(text: str) -> bool:
        start = text.index("1.13.19")
        return is_absolute_date(text, start, start + len("1.13.19"))

    assert date_in("we met on 1.13.19")
    assert not date_in("please upgrade to 1.13.19 now")


def test_two_ibans_separated_by_a_space_are_both_found() -> None:
    # The pattern's optional spaces swallow the second IBAN; the search resumes after the
    # first one kept, not after the whole match (found by pii_mapper.testing's strategies).
    from pii_mapper.detection.patterns import IbanRecognizer

    text = "BE54000000000000 BE27000000000001 and BE54 0000 0000 0000 BE27 0000 0000 0001"
    found = [text[d.start : d.end] for d in IbanRecognizer().find(text)]
    assert found == [
        "BE54000000000000",
        "BE27000000000001",
        "BE54 0000 0000 0000",
        "BE27 0000 0000 0001",
    ]


def test_an_iban_of_a_known_country_with_an_odd_length_counts_when_mod_97_holds() -> None:
    from pii_mapper.detection.patterns import IbanRecognizer

    # GB IBANs have 22 characters; these have 21 (one digit short) and a valid mod-97 check.
    text = "Bank GB70LZCX8606132534083, or GB08 MDHP 7399 3205 8254 5."
    found = [text[d.start : d.end] for d in IbanRecognizer().find(text)]
    assert found == ["GB70LZCX8606132534083", "GB08 MDHP 7399 3205 8254 5"]
    # the same shapes with a broken check, or an unknown country, are not IBANs
    assert not list(IbanRecognizer().find("GB71LZCX8606132534083 QQ70LZCX8606132534083"))


def test_mastercard_2_series_numbers_are_cards_when_luhn_holds() -> None:
    from pii_mapper.detection.engine import _credit_cards

    cards = _credit_cards()
    text = "card=2477 4901 1389 8210 holder=x, 2720-9900-0000-0007 and 2221000000000009"
    found = [(text[d.start : d.end], d.score) for d in cards.find(text)]
    assert found == [
        ("2477 4901 1389 8210", 1.0),
        ("2720-9900-0000-0007", 1.0),
        ("2221000000000009", 1.0),
    ]
    # outside the 2-series range, or failing Luhn: nothing
    assert not list(cards.find("2220 0000 0000 0000 and 2477 4901 1389 8211"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@keiko @raúl standup moved to 10:30", ["keiko", "raúl"]),
        ("@liam.obrien can you rotate the key?", ["liam.obrien"]),
        ("@fatou-diallo nit: no hardcoded hosts", ["fatou-diallo"]),
        ("thanks @Maria!", ["Maria"]),
        # not people: groups, e-mail addresses, package scopes, decorators, annotations
        ("@j.smith @jean-pierre please review", ["j.smith", "jean-pierre"]),
        ("hey @here the deploy is done", []),
        ("@oncall @team-platform can someone approve", []),
        ("write to ana@example.org today", []),
        ("@acme:registry=https://npm.acme.local/", []),
        ("npm i @types/node", []),
        ("@dataclass\nclass Point:", []),
        ("@param name the user's name", []),
    ],
)
def test_mentions_name_people(text: str, expected: list[str]) -> None:
    from pii_mapper.detection.patterns import MentionRecognizer

    assert found(MentionRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # people's user names where a system writes one
        ('  File "/home/akosuap/projects/run.py", line 3', ["akosuap"]),
        (r"C:\Users\jdoe\Documents\cv.pdf", ["jdoe"]),
        ('"GET /users/oskar.nilsson/invoices/8812.pdf HTTP/1.1"', ["oskar.nilsson"]),
        ("ssh -i ~/.ssh/id_ed25519 anna.kowalska@172.16.4.88", ["anna.kowalska"]),
        ("git clone https://anavarro:ghp_x1y2z3@github.com/org/repo", ["anavarro"]),
        ("curl -u admin.dupuis:Marseille13! https://gitlab.local", ["admin.dupuis"]),
        ("WARN login mislukt gebruiker=p.vanleeuwen bron=10.1.2.3", ["p.vanleeuwen"]),
        ("auth failed Benutzer: mkoehler", ["mkoehler"]),
        ("[~tobias.kranz] das Ticket ist wieder offen", ["tobias.kranz"]),
        ('79.148.203.41 - mcastro [17/Mar/2025:06:12:44 +0100] "GET /"', ["mcastro"]),
        ("// TODO bartek: move to vault", ["bartek"]),
        ("# FIXME(rubén) pasar a secrets", ["rubén"]),
        # services' accounts and ordinary words are nobody's
        ("ssh root@10.0.0.1 && ssh ubuntu@10.0.0.2", []),
        ("DATABASE_URL=postgres://etl:S3cret@db.internal/warehouse", []),
        ("DATABASE_URL=postgres://app_rw:S3cret@db.internal/app", []),
        ("user=svc-reporting src=10.0.0.9", []),
        ("docker login -u ci-bot:token", []),
        ("/home/runner/work/app", []),
        ("TODO: move to vault; TODO later: fix", []),
        ("write to ana@example.org today", []),  # an e-mail address: its own recognizer
    ],
)
def test_logins_name_people(text: str, expected: list[str]) -> None:
    from pii_mapper.detection.patterns import LoginRecognizer

    assert found(LoginRecognizer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Japanese honorific, a Korean one, a Chinese title or label
        ("Gast 佐藤美咲様、チェックイン2025年4月3日", ["佐藤美咲"]),
        ("予約者\uff1a山本健太様\u3000電話", ["山本健太"]),
        ("マリアさんへ", ["マリア"]),
        ("예약자 김민준님 연락처010-4827-1936", ["김민준"]),
        ("이서연 씨에게", ["이서연"]),
        ("客户王丽娜电话13812457096", ["王丽娜"]),
        ("客户李娜的订单", ["李娜"]),
        ("王先生您好", ["王"]),
        # roles, not names
        ("ご担当者様", []),
        ("お客様各位", []),
        ("고객님 안녕하세요", []),
        ("아저씨가 왔어요", []),
        ("no CJK here, Mr Wang", []),
    ],
)
def test_names_in_chinese_japanese_and_korean_script(text: str, expected: list[str]) -> None:
    from pii_mapper.detection.patterns import CjkNameRecognizer

    assert found(CjkNameRecognizer(), text) == expected


def test_the_warm_up_sample_reads_the_mention_words_of_every_language() -> None:
    # PresidioDetector.warm_up() runs its sample through every language's recognizers: the
    # chat mention in it makes each read its word list then, not on a user's first "@…".
    from pii_mapper.detection.engine import _WARM_UP_TEXT
    from pii_mapper.detection.patterns import MentionRecognizer, _plain_words
    from pii_mapper.language import SUPPORTED_LANGUAGES

    _plain_words.cache_clear()
    for language in SUPPORTED_LANGUAGES:
        # "@ops-team" is a team, no one's name: read against the word list, then dropped.
        assert list(MentionRecognizer(language).find(_WARM_UP_TEXT)) == []
    assert _plain_words.cache_info().currsize == len(SUPPORTED_LANGUAGES)


def test_warm_up_loads_the_phone_plans_read_by_national_numbers() -> None:
    import phonenumbers

    from pii_mapper.detection.engine import PresidioDetector
    from pii_mapper.detection.patterns import phone_score

    before = {
        (value, home): phone_score.__wrapped__(value, home, context=context)
        for value, home, context in [
            ("06 12 34 56 78", "FR", False),
            ("030 1234567", "DE", False),
            ("0161 496 0328", "US", False),
            ("06 12 34 56 78", "NL", True),
        ]
    }
    PresidioDetector().warm_up(frozenset({"PHONE_NUMBER"}))  # no model: no NER type
    cache = getattr(phonenumbers.re_util, "_COMPILED_PATTERNS", None)
    if hasattr(phonenumbers, "enable_pattern_cache"):
        assert cache  # the plans' patterns are compiled and kept
    # Loading changes no score.
    assert before == {
        (value, home): phone_score.__wrapped__(value, home, context=context)
        for (value, home), context in zip(before, [False, False, False, True], strict=True)
    }
    assert before[("06 12 34 56 78", "FR")] == 0.75


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"\b(([0-9]{3})-([0-9]{2})-([0-9]{4}))\b", "-"),
        (r"\b(([1-9]|0[1-9]|1[0-2])/\d{2})\b", "/"),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d", "-:"),
        (r"a(?:b-c|d-e)", "-"),
        (r"x{0,3}-{1,2}", "-"),
        (r"a(?:-|/)b", ""),  # either one
        (r"a-?b", ""),  # optional
        (r"(?=x-)y", ""),  # a look-ahead is not part of the match
        (r"A\.B", "."),
    ],
)
def test_the_punctuation_every_match_holds(pattern: str, required: str) -> None:
    import re

    from pii_mapper.detection.patterns import required_characters

    assert required_characters(re.compile(pattern, re.IGNORECASE)) == required


def test_every_match_of_presidios_patterns_holds_its_required_punctuation() -> None:
    import random
    import re

    from pii_mapper.detection.engine import DEFAULT_REGISTRY
    from pii_mapper.detection.patterns import RegexRecognizer, required_characters
    from pii_mapper.detection.registry import RecognizerDetector

    recognizers = RecognizerDetector(DEFAULT_REGISTRY).recognizers(DEFAULT_REGISTRY.entities)
    patterns = [p for r in recognizers if isinstance(r, RegexRecognizer) for p, _ in r.patterns]
    assert any(required_characters(p) for p in patterns)
    rng = random.Random(7)
    pieces = ["12", "2024", "03", "9", "-", "/", ".", ":", " ", "T", "Jan", "A1", "abc", "+"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        for pattern in patterns:
            if not isinstance(pattern, re.Pattern):
                continue
            for match in pattern.finditer(text):
                assert set(required_characters(pattern)) <= set(match.group())
