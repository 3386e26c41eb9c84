"""The organiser accounts the browser suite's server is created with (venskab create-organiser)."""

ADMIN_EMAIL = "admin@venskab.example"
ORGANISER_EMAIL = "organiser@venskab.example"
PASSWORD = "browser-test-password-1"
