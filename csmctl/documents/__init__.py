"""Documents: a sandboxed Jinja engine, template lookup, and rendering to files."""
