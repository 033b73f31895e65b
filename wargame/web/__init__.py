"""The HTTP shell: URL routes, the JSON API, the pages, their forms, and the admin."""
