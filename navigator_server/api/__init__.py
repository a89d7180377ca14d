"""The HTTP API: routes, their request and response schemas, and the middleware around them."""
