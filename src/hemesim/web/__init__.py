"""hemesim.web: the local web app (``hemesim serve``).

``hemesim.web.app.create_app()`` builds the FastAPI application: JSON API routers under
``/api/`` (``web/api/``: model, variant, risk, cohort, meta), server-rendered pages
(``web/pages.py`` with ``web/templates/``), local static assets (``web/static/``) and Plotly's
JavaScript from the installed package (``web/assets.py``). Input caps live in
``web/limits.py``; model work runs on one worker thread (``web/compute.py``); the pathway map's
geometry and its binding to model ids are in ``web/pathway_map.py``. The web layer is thin: it
calls the same functions as the CLI and returns the same JSON shapes.
"""
