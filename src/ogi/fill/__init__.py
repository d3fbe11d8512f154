"""填报: fill a report in the official layout, checked as it is typed.

- :mod:`~ogi.fill.draft` — :class:`Draft`, one unit-year's report as JSON, validated, to a
  :class:`~ogi.model.Report` for the renderers;
- :mod:`~ogi.fill.live` — :func:`check_draft`: every broken identity with the cell to mark and its
  expected value, the totals the identities already fix, warnings against last year's report;
- :mod:`~ogi.fill.prefill` — :func:`prefill`: a new draft from last year's report (上年结转,
  上一年项目数量, 现行有效件数), last year's values and texts to show beside the form.

All pure and fast: the form calls :func:`check_draft` on every keystroke.
"""

from ogi.fill.draft import Draft, DraftError
from ogi.fill.live import Broken, LiveCheck, check_draft
from ogi.fill.prefill import Prefill, prefill, prefill_from_store

__all__ = ["Broken", "Draft", "DraftError", "LiveCheck", "Prefill", "check_draft", "prefill", "prefill_from_store"]
