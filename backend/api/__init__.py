"""The HTTP gateway: one router per area, assembled in backend.api.main."""
