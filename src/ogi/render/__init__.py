"""Render reports from data.

- the official layout (:mod:`~ogi.render.layout`) in every output format, one module each:
  :mod:`~ogi.render.docx`, :mod:`~ogi.render.html`, :mod:`~ogi.render.xlsx`,
  :mod:`~ogi.render.markdown`, :mod:`~ogi.render.plaintext`, and PDF through LibreOffice
  (:mod:`~ogi.render.office`); :mod:`~ogi.render.formats` picks one by name or file suffix and
  makes the blank forms;
- synthetic reports satisfying every identity (:mod:`~ogi.render.synth`, local variants in
  :mod:`~ogi.render.variants`) and the broken text shapes real reports come in
  (:mod:`~ogi.render.text`), for tests and examples.
"""
