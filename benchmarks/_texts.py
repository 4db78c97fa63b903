"""Chat-like texts with PII for the speed benchmark, the same for one seed.

Messages are built from sentences a user or an assistant writes in a chat. About three
sentences in ten carry PII (names, companies, places, dates, e-mail addresses, phone
numbers, card numbers, SSNs, IBANs, IP addresses), which gives roughly one PII value per
100 characters: a support conversation, denser than most prose. The values come from
Faker (``en_US``, IBANs also ``de_DE``), seeded, so a seed gives the same texts on one
installation (Faker's data may change between Faker versions; the version goes into the
results).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "FILLER",
    "PII_TEMPLATES",
    "ChatTextGenerator",
    "model_reply",
]

# Sentences without PII, as people write them to a chat assistant (and it answers).
FILLER: tuple[str, ...] = (
    "Thanks, that makes sense.",
    "Can you summarise the previous answer in three bullet points?",
    "I tried that but the export still fails with a timeout.",
    "What would be a good way to structure this email?",
    "Sure, go ahead.",
    "Let me check and get back to you.",
    "The report is due at the end of the week.",
    "How do I convert this list to a CSV file?",
    "Sorry, I meant the second option, not the first.",
    "Could you make the tone a bit more formal?",
    "It works now, the issue was a missing comma in the config.",
    "Please write a short reply declining the meeting politely.",
    "Here is the draft so far, please fix the grammar.",
    "Why does the function return None here?",
    "Great, and what about the shipping costs?",
    "I think the second paragraph is too long.",
    "Can you explain the difference between a loan and a lease?",
    "The customer wants a refund for the damaged package.",
    "Okay, now translate it into plain English.",
    "That is not what I asked, please try again.",
    "Here are the steps I would follow to fix the problem.",
    "First, restart the application and clear the cache.",
    "If the error persists, check the permissions of the folder.",
    "You may also want to update the driver to the latest version.",
    "Let me know if you need anything else.",
    "I have attached the log output below.",
    "The meeting notes are in the shared folder.",
    "Is there a cheaper plan for small teams?",
    "The invoice total looks wrong to me.",
    "Could you add a sentence about the delivery date?",
)

# Sentences with PII; each {field} is filled by the generator.
PII_TEMPLATES: tuple[str, ...] = (
    "Hi, this is {name} from {company}.",
    "You can reach me at {email}.",
    "My number is {phone}, call after five.",
    "Please charge the card {card} for the renewal.",
    "My SSN is {ssn} if you need it for the form.",
    "Send the refund to IBAN {iban}.",
    "The VPN gateway {ip} keeps dropping my session.",
    "I am moving to {city} on {date}.",
    "{name} said the invoice went to {email} yesterday.",
    "Could you ask {name} at {company} to call me back?",
    "Our office is at {street}, {city}.",
    "The login from {ip} on {date} looked odd.",
    "Text me on {phone} when {first_name} arrives.",
    "Dear {name}, thank you for your order.",
    "Please forward the contract to {email} and copy {name}.",
    "The account holder is {name}, IBAN {iban}.",
    "{first_name} works at {company} in {city}.",
)

_FIELDS = (
    "name",
    "first_name",
    "company",
    "email",
    "phone",
    "card",
    "ssn",
    "iban",
    "ip",
    "city",
    "date",
    "street",
)
PII_SHARE = 0.3


class ChatTextGenerator:
    """Deterministic chat messages and conversations for one ``seed``."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.seed = seed
        self._rng = random.Random(seed)
        self._faker = Faker("en_US")
        self._faker.seed_instance(seed)
        self._faker_de = Faker("de_DE")
        self._faker_de.seed_instance(seed + 1)

    def _value(self, field: str) -> str:
        fake = self._faker
        makers: dict[str, Callable[[], Any]] = {
            "name": fake.name,
            "first_name": fake.first_name,
            "company": fake.company,
            "email": fake.email,
            "phone": fake.phone_number,
            "card": fake.credit_card_number,
            "ssn": fake.ssn,
            "iban": lambda: (fake if self._rng.random() < 0.5 else self._faker_de).iban(),
            "ip": fake.ipv4_public,
            "city": fake.city,
            "date": lambda: fake.date_this_decade().strftime("%B %d, %Y"),
            "street": fake.street_address,
        }
        return str(makers[field]())

    def sentence(self, pii_share: float = PII_SHARE) -> str:
        """One sentence: with probability ``pii_share`` one that carries PII."""
        if self._rng.random() < pii_share:
            template = self._rng.choice(PII_TEMPLATES)
            values = {f: self._value(f) for f in _FIELDS if "{" + f + "}" in template}
            return template.format(**values)
        return self._rng.choice(FILLER)

    def message(self, size: int, pii_share: float = PII_SHARE) -> str:
        """A message of at most ``size`` characters, at least ``size - 60`` (sizes ≥ 100):
        sentences separated by spaces, a paragraph break now and then, cut at a word."""
        if size <= 0:
            return ""
        parts: list[str] = []
        length = 0
        while length < size:
            sentence = self.sentence(pii_share)
            separator = "" if not parts else ("\n\n" if self._rng.random() < 0.1 else " ")
            parts.append(separator + sentence)
            length += len(separator) + len(sentence)
        text = "".join(parts)
        if len(text) > size:
            cut = text.rfind(" ", 0, size + 1)
            text = text[:cut] if cut > size // 2 else text[:size]
        return text.rstrip()

    def conversation(self, turns: int, message_size: int = 300) -> tuple[list[dict[str, str]], str]:
        """``turns`` history messages, user and assistant alternating, and a new message.

        User messages carry PII at the usual share; the assistant's are longer and echo less.
        """
        history: list[dict[str, str]] = []
        for index in range(turns):
            if index % 2 == 0:
                size = self._rng.randint(60, 400)
                history.append({"role": "user", "content": self.message(size)})
            else:
                size = self._rng.randint(200, 1200)
                history.append({"role": "assistant", "content": self.message(size, 0.1)})
        return history, self.message(message_size)


def model_reply(mapping: Mapping[str, str], size: int, seed: int) -> str:
    """Model output of about ``size`` characters that mentions the mapping's placeholders the
    way models do: mostly as written, some in other case, brackets or none, and some that
    the mapping does not know (invented numbers)."""
    rng = random.Random(seed)
    placeholders = list(mapping)
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(FILLER)
        if placeholders and rng.random() < 0.6:
            placeholder = rng.choice(placeholders)
            entity, number = placeholder[1:-1].rsplit("_", 1)
            roll = rng.random()
            if roll < 0.7:
                form = placeholder
            elif roll < 0.8:
                form = f"[{entity}_{number}]"
            elif roll < 0.9:
                form = placeholder.lower()
            elif roll < 0.95:
                form = f"{entity}_{number}"
            else:
                form = f"<{entity}_{int(number) + 1000}>"
            sentence = f"{sentence[:-1]}, as {form} said{sentence[-1]}"
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)[:size]
