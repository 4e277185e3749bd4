"""JSON API routers: parse, authorize (through backend.services.policy), call a service, answer."""
