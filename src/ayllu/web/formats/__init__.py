"""Local formats that differ from Django's defaults for a language (see FORMAT_MODULE_PATH)."""
