"""Render reports from data: synthetic reports for tests and examples, and the text, HTML and
DOCX shapes real reports come in."""
