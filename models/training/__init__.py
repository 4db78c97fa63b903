"""Training of pii_mapper's own NER model (``make model``): a seeded generator of labelled
chat and prose in several languages (:mod:`models.training.generate`) and the spaCy training
run (:mod:`models.training.train`). Not shipped in the wheel; the trained model is."""

__all__: list[str] = []
