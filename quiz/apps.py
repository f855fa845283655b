from django.apps import AppConfig

from history import hooks


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = "Quiz"

    def ready(self):
        from . import content_sync  # needs the models, which are ready only now

        # The figure and timeline pages' "Practise" buttons post to the quick practice.
        hooks.register_practice("quiz:practice")
        # An admin's edit of the content retires and replaces the questions it made wrong.
        hooks.register_content_changed(content_sync.content_changed)
