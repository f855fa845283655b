"""Loading the interview content: verbatim, idempotent, validated, respectful of admin edits."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from history.interview_text import parse_interview
from history.loading import FIXTURE_PATH, TEXT_PATH
from history.models import Alias, Assessment, Claim, Event, Figure, Passage, Role, Source

pytestmark = pytest.mark.django_db

RAW = TEXT_PATH.read_text(encoding="utf-8")
BOILERPLATE = ["User Rating", "Star Inactive", "Love Conspiracies", "Sign up for our newsletter"]


def load(*args, **kwargs):
    from io import StringIO

    out = StringIO()
    call_command("load_interview", *args, stdout=out, **kwargs)
    return out.getvalue()


def counts():
    return {m.__name__: m.objects.count() for m in (Source, Passage, Figure, Alias, Role, Event, Claim)}


def fixture_data():
    return json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))


def write_fixture(tmp_path, data) -> str:
    path = Path(tmp_path) / "content.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


# --- The shipped content --------------------------------------------------------------


def test_every_turn_is_stored_verbatim_and_in_order(interview):
    passages = list(interview.passages.order_by("position"))
    paragraphs = [p.strip() for p in RAW.splitlines() if p.strip()]
    turns = [p for p in paragraphs if p.startswith(("GJ \u2013 ", "SM \u2013 "))]
    assert len(passages) == len(turns) == 14
    for passage, paragraph in zip(passages, turns):
        assert f"{passage.speaker_label} \u2013 {passage.text}" == paragraph
    assert [p.position for p in passages] == list(range(1, 15))
    assert {p.speaker.key for p in passages} == {"maskharashvili", "interviewer"}


def test_newsletter_boilerplate_is_not_part_of_the_interview(interview):
    stored = interview.lead + "".join(Passage.objects.values_list("text", flat=True))
    for phrase in BOILERPLATE:
        assert phrase not in stored
    assert interview.title == "Conspiracy Against Stalin"
    assert interview.lead.startswith("Those people were part of Stalin\u2019s entourage")


def test_every_claim_quote_occurs_in_its_passage(interview):
    claims = Claim.objects.select_related("passage")
    assert claims.count() >= 30
    for claim in claims:
        assert claim.quote and claim.quote in claim.passage.text, claim.key
        assert claim.note.strip() and claim.reference.strip(), claim.key
        claim.full_clean()


def test_required_figures_are_present_with_interview_spellings(interview):
    def find(name):
        return Figure.objects.filter(aliases__name__iexact=name).first() or Figure.objects.get(short_name=name)

    for name in [
        "Stalin",
        "Kirov",
        "Tukhachevsky",
        "Enukidze",
        "Yagoda",
        "Yezhov",
        "Svanidze",
        "Ordzhonikidze",
        "Zinoviev",
        "Kamenev",
        "Bukharin",
        "Rykov",
    ]:
        assert find(name), name
    assert find("Tukhachevski") == find("Tukhachevsky")
    assert find("Orjonikidze") == find("Ordzhonikidze")
    assert find("Rikov") == find("Rykov")
    assert Figure.objects.get(key="maskharashvili").is_participant


def test_every_assessment_is_used_and_known_errors_are_not_corroborated(interview):
    used = set(Claim.objects.values_list("assessment", flat=True))
    assert used == set(Assessment.values)
    # The interview's plain errors must never be stored as established.
    nep = Claim.objects.filter(quote__contains="against the introduction of the NEP")
    assert nep.exists() and not nep.filter(assessment=Assessment.CORROBORATED).exists()
    votes = Claim.objects.filter(quote__contains="more votes to Kirov")
    assert votes.exists() and not votes.filter(assessment=Assessment.CORROBORATED).exists()
    plan = Claim.objects.filter(quote__contains="second five-year plan")
    assert plan.exists() and not plan.filter(assessment=Assessment.CORROBORATED).exists()


def test_events_and_roles_are_dated_with_precision(interview):
    kirov = Event.objects.get(key="kirov-assassination")
    assert kirov.start_display == "1 December 1934"
    assert Event.objects.count() >= 20 and Role.objects.count() >= 25
    for obj in list(Event.objects.all()) + list(Role.objects.all()):
        obj.full_clean()


# --- Idempotence and admin edits -------------------------------------------------------


def test_loading_twice_changes_nothing(interview):
    before = counts()
    output = load()
    assert counts() == before
    assert " 0 created, 0 updated" in output
    assert "created" in output and "KEPT" not in output


def test_admin_edit_is_kept_and_reported_when_the_fixture_changes_too(interview, tmp_path):
    claim = Claim.objects.order_by("key").first()
    claim.note = "A teacher's corrected note."
    claim.save()
    data = fixture_data()
    item = next(c for c in data["claims"] if c["key"] == claim.key)
    item["note"] = "A new note from the fixture."
    output = load("--fixture", write_fixture(tmp_path, data))
    claim.refresh_from_db()
    assert claim.note == "A teacher's corrected note."
    assert f"KEPT admin edit: claims '{claim.key}'" in output

    output = load("--fixture", write_fixture(tmp_path, data), "--overwrite")
    claim.refresh_from_db()
    assert claim.note == "A new note from the fixture."
    assert "OVERWROTE admin edit" in output


def test_admin_edit_survives_a_reload_of_the_unchanged_fixture(interview):
    figure = Figure.objects.get(key="kirov")
    figure.bio = "Edited in the admin."
    figure.save()
    load()
    figure.refresh_from_db()
    assert figure.bio == "Edited in the admin."


def test_fixture_change_updates_untouched_rows(interview, tmp_path):
    data = fixture_data()
    event = next(e for e in data["events"] if e["key"] == "kirov-assassination")
    event["description"] = "Updated description."
    output = load("--fixture", write_fixture(tmp_path, data))
    assert Event.objects.get(key="kirov-assassination").description == "Updated description."
    assert "events: 0 created, 1 updated" in output


def test_near_misses_and_evidence_load_and_follow_the_fixture(interview, tmp_path):
    data = fixture_data()
    claim = next(c for c in data["claims"] if c["key"] == "kirov-more-votes-than-stalin")
    claim["near_misses"] = [{"text": "Kirov received fewer votes than Stalin.", "why": "The interview says more."}]
    claim.update(evidence="later-testimony", evidence_also=["archival"], evidence_note="Testimony of the 1960s.")
    output = load("--fixture", write_fixture(tmp_path, data))
    assert "claims: 0 created, 1 updated" in output and "KEPT" not in output
    loaded = Claim.objects.get(key="kirov-more-votes-than-stalin")
    assert loaded.near_misses[0]["text"] == "Kirov received fewer votes than Stalin."
    assert (loaded.evidence, loaded.evidence_also) == ("later-testimony", ["archival"])
    # Loading the same file again changes nothing; claims without the new fields were never touched.
    assert "claims: 0 created, 0 updated" in load("--fixture", write_fixture(tmp_path, data))


def test_decoys_load_by_key_even_of_later_claims_and_follow_the_fixture(interview, tmp_path):
    # A decoy may be a claim further down the fixture: it is set once every claim is saved.
    votes = Claim.objects.get(key="kirov-more-votes-than-stalin")
    assert list(votes.decoys.values_list("key", flat=True)) == ["kirov-leningrad-secretary"]
    data = fixture_data()
    claim = next(c for c in data["claims"] if c["key"] == "kirov-more-votes-than-stalin")
    claim["decoys"] = ["court-open-to-public", "kirov-leningrad-secretary"]
    assert "claims: 0 created, 1 updated" in load("--fixture", write_fixture(tmp_path, data))
    assert set(votes.decoys.values_list("key", flat=True)) == {"court-open-to-public", "kirov-leningrad-secretary"}
    assert "claims: 0 created, 0 updated" in load("--fixture", write_fixture(tmp_path, data))


def test_what_an_event_follows_loads_by_key_and_follows_the_fixture(interview, tmp_path):
    trial = Event.objects.get(key="tukhachevsky-trial")
    assert list(trial.follows.values_list("key", flat=True)) == ["tukhachevsky-arrest"]
    data = fixture_data()
    event = next(e for e in data["events"] if e["key"] == "tukhachevsky-trial")
    event.pop("follows")
    assert "events: 0 created, 1 updated" in load("--fixture", write_fixture(tmp_path, data))
    assert not trial.follows.exists()


def test_a_roles_note_and_asked_flag_load_and_follow_the_fixture(interview, tmp_path):
    # Rows loaded before the fields existed hash as before: the new defaults touch nothing.
    assert "roles: 0 created, 0 updated" in load()
    held = Role.objects.get(key="zinoviev-trade-unions")
    assert held.asked is False and Role.objects.get(key="yagoda-nkvd").asked is True
    assert "1952" in Role.objects.get(key="stalin-general-secretary").note
    data = fixture_data()
    role = next(r for r in data["roles"] if r["key"] == "zinoviev-trade-unions")
    role.pop("asked")
    role["note"] = "The council's first chairman."
    output = load("--fixture", write_fixture(tmp_path, data))
    assert "roles: 0 created, 1 updated" in output and "KEPT" not in output
    held.refresh_from_db()
    assert held.asked is True and held.note == "The council's first chairman."
    assert "roles: 0 created, 0 updated" in load("--fixture", write_fixture(tmp_path, data))


def test_a_roles_wrong_wordings_load_and_follow_the_fixture(interview, tmp_path):
    kirov = Role.objects.get(key="kirov-leningrad-first-secretary")
    assert "the party secretary for the Moscow regional committee" in kirov.wording_misses
    assert Role.objects.get(key="yagoda-nkvd").wording_misses == []
    data = fixture_data()
    role = next(r for r in data["roles"] if r["key"] == "kirov-leningrad-first-secretary")
    role["wording_misses"] = ["the chairman of the Leningrad soviet", "the head of the Leningrad police"]
    assert "roles: 0 created, 1 updated" in load("--fixture", write_fixture(tmp_path, data))
    kirov.refresh_from_db()
    assert kirov.wording_misses == role["wording_misses"]
    assert "roles: 0 created, 0 updated" in load("--fixture", write_fixture(tmp_path, data))


def worded(data, key="kirov-leningrad-first-secretary"):
    return next(r for r in data["roles"] if r["key"] == key)


def test_an_events_other_datings_load_and_follow_the_fixture(interview, tmp_path):
    # Events loaded before the field existed hash as before; Yezhov's removal carries the date
    # of its announcement, which Conquest gives.
    assert "events: 0 created, 0 updated" in load()
    removed = Event.objects.get(key="yezhov-removed")
    assert [(d.isoformat(), p) for d, p, _ in removed.dated_otherwise] == [("1938-12-08", "day")]
    data = fixture_data()
    event = next(e for e in data["events"] if e["key"] == "yezhov-removed")
    event.pop("other_datings")
    assert "events: 0 created, 1 updated" in load("--fixture", write_fixture(tmp_path, data))
    removed.refresh_from_db()
    assert removed.other_datings == []


# --- Bad content is refused whole ------------------------------------------------------


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["claims"][0].update(quote="Words the interview never says."), "does not occur in passage"),
        (lambda d: d["claims"][0].update(assessment=""), "needs a historical assessment"),
        (lambda d: d["claims"][0].update(assessment="probably"), "is not an assessment"),
        (lambda d: d["claims"][0].update(note=""), "Explain the assessment"),
        (lambda d: d["claims"][0].update(speaker="nobody"), "unknown speaker 'nobody'"),
        (lambda d: d["claims"][0].update(passage=99), "unknown passage 99"),
        (lambda d: d["roles"][0].update(start="1936-05", end="1935"), "cannot be before the start date"),
        (lambda d: d["events"][0].update(date="1934-13-01"), "is not a date"),
        (lambda d: d["figures"][1].update(aliases=d["figures"][0]["aliases"][:1] or ["x"]), "already belongs to"),
        (lambda d: d["claims"][0].update(near_misses=[{"text": "No reason given."}]), '{"text": …, "why": …}'),
        (lambda d: d["claims"][0].update(evidence="rumour"), "is not a valid choice"),
        (lambda d: d["claims"][0].update(evidence="archival", evidence_note=""), "what that evidence is"),
        (lambda d: d["claims"][0].update(evidence_also=["gossip"]), "Give a list of evidence kinds"),
        (lambda d: d["events"][0].update(other_datings=[{"date": "1938-12"}]), 'needs a "date" and a "why"'),
        (lambda d: d["events"][0].update(other_datings=[{"date": "December", "why": "x"}]), "is not a date"),
        (lambda d: d["claims"][0].update(decoys=["no-such-claim"]), "unknown claim (a decoy) 'no-such-claim'"),
        (lambda d: d["claims"][0].update(decoys=[d["claims"][0]["key"]]), "cannot be its own decoy"),
        (lambda d: d["events"][0].update(follows=["no-such-event"]), "unknown event (one it follows) 'no-such-event'"),
        (lambda d: d["events"][0].update(follows=[d["events"][0]["key"]]), "cannot follow itself"),
        (lambda d: d["claims"][0].update(would_confirm="A letter of the time"), "Only a claim nothing on record"),
        (lambda d: d["claims"][0].update(gloss=d["claims"][0]["quote"]), "in [square brackets]"),
        (lambda d: d["claims"][0].update(gloss="He [Kirov] said words the interview never says."), "copied exactly"),
        (lambda d: d["claims"][0].update(gloss=f"[Stalin] {d['claims'][1]['quote']}"), "holds the claim's quote"),
        (lambda d: worded(d).update(wording_misses="the mayor"), "Give a list of wordings"),
        (lambda d: worded(d).update(wording_misses=["", "the mayor"]), "Give a list of wordings"),
        (
            lambda d: worded(d).update(wording_misses=[worded(d)["interview_wording"].upper(), "the mayor"]),
            "own wording cannot be a wrong one",
        ),
        (
            lambda d: worded(d, "zinoviev-trade-unions").update(wording_misses=["the mayor", "the judge"]),
            "Only an office with the interview's wording",
        ),
    ],
)
def test_invalid_content_is_refused_with_a_clear_error_and_changes_nothing(interview, tmp_path, mutate, message):
    data = fixture_data()
    if not data["figures"][0]["aliases"]:
        data["figures"][0]["aliases"] = ["x"]
    mutate(data)
    # Make sure the bad item differs from what is loaded, so the loader must look at it.
    data["claims"][0]["statement"] += " (changed)"
    data["roles"][0]["title"] += " (changed)"
    data["events"][0]["name"] += " (changed)"
    before = counts()
    snapshot = list(Claim.objects.order_by("key").values_list("statement", flat=True))
    with pytest.raises(CommandError) as excinfo:
        load("--fixture", write_fixture(tmp_path, data))
    assert message in str(excinfo.value)
    assert "Nothing was loaded" in str(excinfo.value)
    assert counts() == before
    assert list(Claim.objects.order_by("key").values_list("statement", flat=True)) == snapshot


def test_malformed_json_names_the_line(db, tmp_path):
    path = Path(tmp_path) / "broken.json"
    path.write_text('{\n  "figures": [\n    {"key": "x",,}\n  ]\n}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 3"):
        load("--fixture", str(path))
    assert Figure.objects.count() == 0


def test_a_file_that_is_not_content_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no 'figures' list"):
        load("--fixture", write_fixture(tmp_path, ["not", "content"]))


# --- Model validation ------------------------------------------------------------------


def test_model_validation_messages(interview):
    claim = Claim.objects.first()
    claim.quote = "not in the passage"
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "does not occur in passage" in str(excinfo.value)

    role = Role.objects.first()
    role.end_date, role.end_precision = role.start_date.replace(year=role.start_date.year - 1), "year"
    with pytest.raises(ValidationError, match="cannot be before the start date"):
        role.full_clean()

    # Same year at coarser precision is not "before": 1936 may end after April 1936 began.
    event = Event.objects.get(key="kirov-assassination")
    event.end_date, event.end_precision = event.start_date.replace(month=1, day=1), "year"
    event.full_clean()


def test_alias_names_are_unique_ignoring_case(interview):
    from django.db import IntegrityError, transaction

    existing = Alias.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alias.objects.create(figure=Figure.objects.exclude(pk=existing.figure_id).first(), name=existing.name.upper())


def test_parser_refuses_text_without_turns():
    from history.interview_text import InterviewFormatError

    with pytest.raises(InterviewFormatError):
        parse_interview("Just a title\n\nand a paragraph.")
