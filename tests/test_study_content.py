"""The small study content that the study-page tests build (tests/study_support.py) is sound:
every claim's quote occurs in its passage."""

from history.models import Claim, Passage
from tests.study_support import CLAIMS


def test_every_claim_quote_occurs_in_its_passage(study):
    for claim in Claim.objects.select_related("passage"):
        claim.full_clean()
    assert Passage.objects.count() == 14
    assert Claim.objects.count() == len(CLAIMS)
