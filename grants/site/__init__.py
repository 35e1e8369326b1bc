"""Pages that belong to the whole site: start page, health check, statements."""
