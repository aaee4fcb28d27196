"""The phone order page: one small HTML page with vanilla JS and CSS, served by the backend."""

from backend.phone.route import phone_router

__all__ = ["phone_router"]
