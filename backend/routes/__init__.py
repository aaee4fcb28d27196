"""The HTTP routes, one module per area of API.md."""
