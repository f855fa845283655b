"""Every cap on an imported question file, in one place, with the messages that state them.

The caps are generous for a teacher's file and keep a bad or hostile one cheap: each is
checked while the file is read, before the work it bounds (the 501st question before it is
parsed, the answers of a question before any is cleaned, HTML nesting before nh3 sees it).
Together with the file size they bound what a preview keeps in the teacher's session: about
the file's own text, never more.

- Moodle's question forms start a choice or matching question with 5 answer blanks and add 3
  at a time; real files rarely pass 10, so 20 answers, matching pairs (with their extra
  answers) or ordering items a question is plenty.
- Moodle stores question and category names in 255-character columns.
- Answers and feedback are CharField(500) here (Option.text, Option.feedback).
- A set of more than a few hundred questions is a bank, not a quiz.
"""

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_QUESTIONS = 500  # a file, skipped questions included
MAX_CATEGORIES = MAX_QUESTIONS  # distinct categories a file
MAX_ANSWERS = 20  # a question: choices, matching pairs plus extra answers, ordering items
PROMPT_MAX = 5000  # characters of question text, counted once the HTML is reduced to text
EXPLANATION_MAX = 5000  # characters of general feedback, likewise
OPTION_MAX = 500  # characters of an answer or its feedback
NAME_MAX = 255  # characters of a question name, as in Moodle
CATEGORY_MAX = 255  # characters of a category path; it is kept with every question in the preview
MAX_NESTING = 50  # HTML elements inside one another (see outline.py)

MESSAGES = {
    "questions": "the file holds more than {limit:,} questions; the limit is {limit:,} per file. "
    "Split it into smaller files.",
    "categories": "the file declares more than {limit:,} categories; the limit is {limit:,} per file.",
    "answers": "the question has {count:,} answers; the limit is {limit:,} per question.",
    "prompt": "the question text is {count:,} characters long; the limit is {limit:,}.",
    "explanation": "the general feedback is {count:,} characters long; the limit is {limit:,}.",
    "option": "an answer or its feedback is {count:,} characters long; the limit is {limit:,}.",
    "name": "the question name is {count:,} characters long; the limit is {limit:,}.",
    "category": "the category is {count:,} characters long; the limit is {limit:,}.",
    "nesting": "the HTML is nested more than {limit:,} elements deep; the limit is {limit:,}. "
    "Simplify its formatting and try again.",
}
LIMITS = {
    "questions": MAX_QUESTIONS,
    "categories": MAX_CATEGORIES,
    "answers": MAX_ANSWERS,
    "prompt": PROMPT_MAX,
    "explanation": EXPLANATION_MAX,
    "option": OPTION_MAX,
    "name": NAME_MAX,
    "category": CATEGORY_MAX,
    "nesting": MAX_NESTING,
}
