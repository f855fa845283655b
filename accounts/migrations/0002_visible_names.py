"""Names and usernames saved before visible_name() existed lose their invisible characters too.

A username is changed only when something visible is left and no other account already has the
result (it would then be two accounts looking alike: left for an administrator to rename)."""

from django.conf import settings
from django.db import migrations


def strip_names(apps, schema_editor):
    from accounts.names import visible_name

    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for user in User.objects.only("pk", "username", "first_name", "last_name").iterator():
        changed = []
        for field in ("first_name", "last_name"):
            clean = visible_name(getattr(user, field))
            if clean != getattr(user, field):
                setattr(user, field, clean)
                changed.append(field)
        username = visible_name(user.username, form="NFKC")
        if (
            username
            and username != user.username
            and not User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists()
        ):
            user.username = username
            changed.append("username")
        if changed:
            user.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(strip_names, migrations.RunPython.noop)]
