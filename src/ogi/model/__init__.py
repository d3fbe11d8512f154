"""The data model: templates as data, the document representation, the parsed report.

Pure data: no I/O beyond reading the bundled template files, no imports from readers or store.
"""

from ogi.model.document import Document, GridCell, Paragraph, Table, Where
from ogi.model.report import Cell, Finding, Provenance, Report, SectionText
from ogi.model.template import Template, all_templates, get_template

__all__ = [
    "Cell",
    "Document",
    "Finding",
    "GridCell",
    "Paragraph",
    "Provenance",
    "Report",
    "SectionText",
    "Table",
    "Template",
    "Where",
    "all_templates",
    "get_template",
]
