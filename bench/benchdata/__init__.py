"""Synthetic district-scale data for `make bench`, as a Django app of its own.

It is installed only by bench/settings.py (`manage.py bench_data --settings=bench.settings`): the
product's settings never load it, and none of quiz, history or accounts imports it. Its answers
are scored by the product's own code (see students.py), so the data cannot drift from scoring.

- shape.py: the names and the scale of the synthetic data;
- students.py: a simulated student writing and submitting an answer form;
- generator.py: users, classes, sets, assignments, attempts, answers and review cards;
- tables.py: writing and removing those rows fast;
- management/commands/bench_data.py: the command.
"""
