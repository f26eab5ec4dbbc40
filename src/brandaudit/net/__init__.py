"""The network core: every request and DNS query brandaudit makes goes through here."""
