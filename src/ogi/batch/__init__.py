"""Batch work over many reports: ingesting folders into the corpus store."""

from ogi.batch.ingest import IngestResult, ingest

__all__ = ["IngestResult", "ingest"]
