"""Teachers' domain logic: question sets, authoring, classes, results and item analysis.

Views in quiz/views/teaching.py stay thin and call into these modules.
"""
