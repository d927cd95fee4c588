"""The edges: notebook content, charts, papermill, nbconvert and WeasyPrint."""
