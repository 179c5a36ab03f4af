"""Loaders: put a file into the park database, whole or not at all, once."""
