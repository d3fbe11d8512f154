"""Collecting annual reports from government portals, politely, resumably, with provenance.

``ogi collect`` is a thin shell over :func:`collect`. The package, by job:

- :mod:`~ogi.collect.fetch` — HTTP (httpx, HTTP/2): robots.txt (:mod:`~ogi.collect.robots`,
  protego), the per-host rate limit (:mod:`~ogi.collect.ratelimit`), retries with backoff,
  redirects within limits, size limits, conditional requests;
- :mod:`~ogi.collect.pages` — decoding (GBK portals) and parsing pages (lxml), dates;
- :mod:`~ogi.collect.listing` — a listing's entries (dates from the listing, not the URL) and
  static paging; :mod:`~ogi.collect.trs` — TRS script paging and list APIs;
  :mod:`~ogi.collect.discover` — the 年报 column from a site root;
- :mod:`~ogi.collect.titles` — which entries are reports; :mod:`~ogi.collect.article` — the report
  in an article page or its attachments;
- :mod:`~ogi.collect.files`, :mod:`~ogi.collect.manifest` — the output folder and its
  ``manifest.jsonl``; :mod:`~ogi.collect.run` — the run; :mod:`~ogi.collect.ingest` — into the
  store with each document's source URL (imported on its own: it loads the store).
"""

from __future__ import annotations

from ogi.collect.fetch import Fetcher, FetchError, Politeness, user_agent
from ogi.collect.run import CollectResult, collect

__all__ = ["CollectResult", "FetchError", "Fetcher", "Politeness", "collect", "user_agent"]
