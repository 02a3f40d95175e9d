"""Slide decks: a facilitator's PDF (or PowerPoint/OpenDocument deck, converted to PDF),
rendered once to page images and text in a separate, limited process, and kept by content.

Upload side: ``store.prepare_deck`` (``convert`` to PDF, ``render`` in ``worker``, each
helper process under ``confined`` limits), then ``store.keep_deck``. What a plan
and a running session do with the pages lives beside them in this package.
"""
