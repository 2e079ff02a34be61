"""``spacy train --code training/checkworthy/functions.py``: registers the check-worthiness scorer
(``claimdesk.checkworthy_scorer.v1``: a member's usual scores plus the ensemble's check-worthy F1 on
the ClaimBuster dev sentences, the figure spaCy keeps the best checkpoint by)."""

from claimdesk.nlp.checkworthy import register_spacy_functions

register_spacy_functions()
