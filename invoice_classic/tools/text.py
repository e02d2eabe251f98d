"""Text rules shared by the payments and the invoices: card numbers and the normal
form of what people type (to compare it, in Python and in the database)."""

import re
import unicodedata

from stdnum import luhn

# A run of digits, single spaces or dashes between them, not glued to a letter or another
# digit: "4111 1111 1111 1111", "4111-1111-1111-1111" (an IBAN such as "FR76 3000 ..." is not).
DIGIT_RUN = re.compile(r"(?<!\w)\d(?:[ \-\u00a0\u202f]?\d)*(?!\w)")
NUMBER_SEPARATORS = re.compile(r"[\s\-.]+")


def find_card_number(text):
    """The first full card number in ``text``, else ``None``.

    A card number is 13 to 19 digits, possibly grouped with spaces or dashes, that pass
    the Luhn check. 14 digits are not taken for one: a French SIRET has 14 digits and
    passes the Luhn check too (and 14-digit cards are no longer issued)."""
    for match in DIGIT_RUN.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and len(digits) != 14 and luhn.is_valid(digits):
            return match.group()
    return None


def normalize_text(value):
    """``value`` compared the way a person reads it: without accents, case and extra
    spaces ("  Crédit  agricole " -> "credit agricole"); ``False`` when empty."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split()) or False


def normalize_number(value):
    """A number as typed, without its spaces, dashes and dots ("7654 321" -> "7654321");
    ``False`` when empty."""
    return NUMBER_SEPARATORS.sub("", value or "").casefold() or False
