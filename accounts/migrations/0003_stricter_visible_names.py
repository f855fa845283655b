"""Names and usernames saved before visible_name() removed every default-ignorable, private-use
and unassigned character and capped the accents on a letter are cleaned the same way: the rules
of 0002 (a username only when the result is free), applied again with today's visible_name()."""

from importlib import import_module

from django.conf import settings
from django.db import migrations


def clean_names(apps, schema_editor):
    import_module("accounts.migrations.0002_visible_names").strip_names(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_visible_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(clean_names, migrations.RunPython.noop)]
