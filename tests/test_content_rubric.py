"""The mechanical parts of the assessment rubric (README, "How claims are assessed"), checked on
the content as `load_interview` loads it, and the review's findings on single claims."""

import pytest

from history.models import Assessment, Claim, Event, Figure, Role

pytestmark = pytest.mark.django_db


def test_every_claim_has_one_known_label_a_note_and_a_reference(interview):
    claims = list(Claim.objects.all())
    assert len(claims) > 50
    for claim in claims:
        assert claim.assessment in Assessment.values, claim.key
        assert claim.note.strip(), claim.key
        assert claim.reference.strip(), claim.key


@pytest.mark.parametrize(
    ("key", "label", "why"),
    [
        # Released is not exonerated: the convictions stood (the note shows the claim false).
        ("arrested-1932-exonerated", Assessment.CONTRADICTED, "rehabilitation"),
        # Unrest peaked in 1930-32; 1934-36 were years of relative easing.
        ("discontent-growing", Assessment.DISPUTED, "1 January 1935"),
        # Overstated for 1934: harvests recovered from 1935.
        ("countryside-devastated", Assessment.DISPUTED, "recovered from 1935"),
    ],
)
def test_the_reviewed_claims_carry_the_label_their_note_argues_for(interview, key, label, why):
    claim = Claim.objects.get(key=key)
    assert claim.assessment == label
    assert why in claim.note


def test_notes_the_review_corrected(interview):
    # The "wrecking" trials came back in 1936-37; Draule had left the obkom by the time of the murder.
    assert "Kemerovo" in Claim.objects.get(key="failure-not-specialists-fault").note
    assert (
        "had worked in the Leningrad regional party committee"
        in Claim.objects.get(key="draule-kirov-affair-motive").note
    )


def test_yenukidzes_transcaucasian_post_is_not_taught_as_an_office_he_held(interview):
    # Review C1: promised, named in a Politburo message, never taken up (Conquest); not a quiz key.
    yenukidze = Figure.objects.get(key="yenukidze")
    assert not yenukidze.roles.filter(title__icontains="Transcaucasian").exists()
    claim = Claim.objects.get(key="yenukidze-demoted-to-transcaucasia")
    assert claim.assessment == Assessment.DISPUTED and "never materialized" in claim.note
    assert "never to have taken up" in Event.objects.get(key="yenukidze-removed").description


@pytest.mark.parametrize(
    ("figure", "title"),
    [
        # Review C16: other holders the generator must know, or it offers them as wrong answers.
        ("trotsky", "Chairman of the Petrograd (from 1924 Leningrad) Soviet"),
        ("rykov", "Chairman of the Supreme Council of the National Economy (VSNKh)"),
        # Review C15: Pyatakov was the *first* deputy.
        ("pyatakov", "First Deputy People's Commissar of Heavy Industry"),
    ],
)
def test_offices_the_review_found_missing_or_misnamed(interview, figure, title):
    assert Role.objects.filter(figure__key=figure, title=title).exists()


def test_the_mass_operations_start_with_the_orders_of_july_1937_in_their_order(interview):
    # Review C2: the German operation (Order 00439, 25 July) came before Order 00447 (signed 30 July,
    # carried out from 5 August); a quiz asks only for the month both orders share.
    event = Event.objects.get(key="mass-operations-1937-1938")
    assert event.start_display == "July 1937"
    text = event.description
    assert text.index("00439") < text.index("00447") and "5 August" in text
