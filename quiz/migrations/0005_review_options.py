"""Feedback modes become Moodle-style review options (quiz/review_options.py).

Existing sets and attempts keep what their students saw: "after each question" shows the
score and the right answers after each question; "only at the end" shows both when the
attempt is finished. New sets get safer defaults (see QuestionSet).
"""

from django.conf import settings
from django.db import migrations, models


def review_options_from_feedback_mode(apps, schema_editor):
    QuestionSet = apps.get_model("quiz", "QuestionSet")
    Attempt = apps.get_model("quiz", "Attempt")
    for model in (QuestionSet, Attempt):
        model.objects.filter(feedback_mode="per_question").update(
            show_score="each_question", show_answers="each_question"
        )
        model.objects.filter(feedback_mode="at_end").update(show_score="after_attempt", show_answers="after_attempt")
    Attempt.objects.filter(show_score="each_question").update(results_shown_at=models.F("started_at"))
    Attempt.objects.filter(show_score="after_attempt", finished_at__isnull=False).update(
        results_shown_at=models.F("finished_at")
    )


def feedback_mode_from_review_options(apps, schema_editor):
    QuestionSet = apps.get_model("quiz", "QuestionSet")
    Attempt = apps.get_model("quiz", "Attempt")
    for model in (QuestionSet, Attempt):
        model.objects.filter(show_score="each_question").update(feedback_mode="per_question")
        model.objects.exclude(show_score="each_question").update(feedback_mode="at_end")


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0004_attempt_unassigned_from"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="results_shown_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="attempt",
            name="show_answers",
            field=models.CharField(
                choices=[
                    ("each_question", "After each question"),
                    ("after_attempt", "When the attempt is finished"),
                    ("after_close", "After the due date, or once no attempts are left"),
                    ("never", "Never"),
                ],
                default="each_question",
                max_length=13,
            ),
        ),
        migrations.AddField(
            model_name="attempt",
            name="show_score",
            field=models.CharField(
                choices=[
                    ("each_question", "After each question"),
                    ("after_attempt", "When the attempt is finished"),
                    ("after_close", "After the due date, or once no attempts are left"),
                    ("never", "Never"),
                ],
                default="each_question",
                max_length=13,
            ),
        ),
        migrations.AddField(
            model_name="questionset",
            name="show_answers",
            field=models.CharField(
                choices=[
                    ("each_question", "After each question"),
                    ("after_attempt", "When the attempt is finished"),
                    ("after_close", "After the due date, or once no attempts are left"),
                    ("never", "Never"),
                ],
                default="after_close",
                max_length=13,
            ),
        ),
        migrations.AddField(
            model_name="questionset",
            name="show_score",
            field=models.CharField(
                choices=[
                    ("each_question", "After each question"),
                    ("after_attempt", "When the attempt is finished"),
                    ("after_close", "After the due date, or once no attempts are left"),
                    ("never", "Never"),
                ],
                default="each_question",
                max_length=13,
            ),
        ),
        migrations.RunPython(review_options_from_feedback_mode, feedback_mode_from_review_options),
        migrations.RemoveField(
            model_name="attempt",
            name="feedback_mode",
        ),
        migrations.RemoveField(
            model_name="questionset",
            name="feedback_mode",
        ),
        migrations.AlterField(
            model_name="questionset",
            name="max_attempts",
            field=models.PositiveSmallIntegerField(default=1, help_text="0 means unlimited."),
        ),
        migrations.AddConstraint(
            model_name="attempt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("show_answers__in", ["each_question", "after_attempt", "after_close", "never"]),
                        ("show_score", "each_question"),
                    ),
                    models.Q(
                        ("show_answers__in", ["after_attempt", "after_close", "never"]), ("show_score", "after_attempt")
                    ),
                    models.Q(("show_answers__in", ["after_close", "never"]), ("show_score", "after_close")),
                    models.Q(("show_answers__in", ["never"]), ("show_score", "never")),
                    _connector="OR",
                ),
                name="attempt_answers_not_before_score",
            ),
        ),
        migrations.AddConstraint(
            model_name="questionset",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("show_answers__in", ["each_question", "after_attempt", "after_close", "never"]),
                        ("show_score", "each_question"),
                    ),
                    models.Q(
                        ("show_answers__in", ["after_attempt", "after_close", "never"]), ("show_score", "after_attempt")
                    ),
                    models.Q(("show_answers__in", ["after_close", "never"]), ("show_score", "after_close")),
                    models.Q(("show_answers__in", ["never"]), ("show_score", "never")),
                    _connector="OR",
                ),
                name="questionset_answers_not_before_score",
            ),
        ),
    ]
