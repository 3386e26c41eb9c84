"""Venskab: composition and shared infrastructure (settings, web, i18n, security, mail, CLI)."""
