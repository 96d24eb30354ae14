"""Swedish language facts, in one place (as spaCy keeps its language data in
`spacy/lang/sv/`): every stage that needs to know something about Swedish asks here.

- `swedish.fold`: comparing OCR-damaged Swedish (`Férslag`, `Forslag` → `forslag`) and
  OCR-tolerant patterns for phrases;
- `swedish.dnr`: diary numbers as documents print them, and the one key (`dnr_key`)
  under which they are compared;
- `swedish.dates`: dates as documents print them;
- `swedish.data`: the lists in data/swedish/ (section headings, bodies, document types,
  municipalities, organisations, places, parties, stopwords) and the name lists.
"""
