"""The corpus at a glance: the dashboard, coverage (who has not published), a unit's history, and
the charts they draw. Library functions returning plain data; the CLI and the web app render them.

- :mod:`ogi.overview.dashboard` — figures, rankings and charts for filtered unit-years;
- :mod:`ogi.overview.coverage` — every unit that should publish in a region and year, and who did;
- :mod:`ogi.overview.history` — one unit across its years;
- :mod:`ogi.overview.charts` — charts drawn on the server (SVG for pages, PNG for documents).
"""
