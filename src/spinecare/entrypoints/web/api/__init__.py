"""JSON API routers (thin: validate, call a service, shape the answer). One module per topic."""
