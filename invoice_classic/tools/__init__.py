from .penalty import PenaltyAmounts, PenaltyTerms, penalty_due
