"""Readers of the files parks bring: format, encoding and header detection."""
