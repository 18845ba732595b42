"""JSON API routers, one module per result family (model, variant, risk, cohort, meta)."""
