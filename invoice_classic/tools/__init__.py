from .locking import lock_rows
from .penalty import PenaltyAmounts, PenaltyTerms, penalty_due
from .text import find_card_number, normalize_number, normalize_text
from .prefetch import RARELY_READ
