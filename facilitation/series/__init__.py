"""Series: sessions run from the same plan, grouped to be compared side by side.

``operations.py`` is the only writer (create, rename, add or remove a session, delete);
``comparison.py`` and ``recurring.py`` read; ``charts.py`` draws; ``views.py`` serves the
pages. Series membership is research metadata, so none of it is written to a session's
event log (the log is the transcript of what happened in the room).
"""
