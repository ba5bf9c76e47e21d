"""spinecare: an open-source spine-care companion (not a diagnosis; emergency advice first)."""

__version__ = "0.1.0"
