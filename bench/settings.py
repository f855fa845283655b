"""Settings for the load run's gunicorn: the app's own settings, plus one benchmark-only URL.

`/bench/signed-in` is the cheapest page a signed-in student can load (the session and the user
are read, nothing else): the floor any answer request sits on. It is not part of the app.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
