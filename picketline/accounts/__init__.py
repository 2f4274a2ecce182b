"""Organiser accounts: log-in with a second factor, roles (groups), and the audit log of who
looked at supporters' personal data. Below ``supporters``: it knows no supporter model."""
