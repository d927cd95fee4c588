"""Pure analyses: values in, values out. No files, no notebooks."""
