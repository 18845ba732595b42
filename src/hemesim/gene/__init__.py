"""hemesim.gene: the ALAS2 reference (protein, transcript when available), domain map, curated
variants. Package data and loaders only; no higher stage is imported here."""
