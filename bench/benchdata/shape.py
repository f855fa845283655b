"""The names and the scale of the synthetic data.

Everything synthetic belongs to users whose username starts with `bench_`, so a reset removes
exactly that and nothing a real person made. Full scale (`--full`): 5,000 students in 150 classes
(class 1 has 500 students), 30 teachers owning 300 question sets, 4 assignments per class, 500,000
answers. The "hot" set (10 questions, assigned to the class of 500) is answered `hot_answers` times
(25,000), for the item-analysis measurement.
"""

from django.contrib.auth import get_user_model

PREFIX = "bench_"
# Every synthetic account shares this password, so the load run can log in through the form.
PASSWORD = "bench-password-not-secret"  # nosec B105
HOT_SET_TITLE = "Bench hot set"
CLASSES_PER_TEACHER = 5
ASSIGNMENTS_PER_CLASS = 4
HOT_SET_SIZE = 10
# Recorded with the parameters: data made by an earlier generator is not taken for this one's.
GENERATOR_VERSION = 2

SMALL = {"students": 300, "classes": 10, "sets": 20, "answers": 20_000, "big_class": 100, "hot_answers": 2_000}
FULL = {"students": 5_000, "classes": 150, "sets": 300, "answers": 500_000, "big_class": 500, "hot_answers": 25_000}


def bench_users():
    return get_user_model().objects.filter(username__startswith=PREFIX)
