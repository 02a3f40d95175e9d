"""The note-taker's pages: the invitation, the name form and the note-taking page."""
