"""`python -m lexicon`: compile the Swedish lexicon into the cache now (make install does
this, so that the first command does not pay the half minute) and print where it is."""

from lexicon.build import ensure_built

print(ensure_built())
