from django.apps import AppConfig

from history import hooks


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = "Quiz"

    def ready(self):
        # The figure and timeline pages' "Practise" buttons post to the quick practice.
        hooks.register_practice("quiz:practice")
