"""Settings for the load run's gunicorn: the app's own settings, plus two benchmark-only URLs.

`/bench/signed-in` is the cheapest page a signed-in student can load (the session and the user
are read, nothing else): the floor any answer request sits on. `/bench/answer-response` is that
floor plus rendering an answer's feedback from memory: what answering costs before any scoring or
recording. Neither is part of the app.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
