"""objection: GDPR Article 21 objection letters to LinkedIn's AI training."""

__version__ = "0.2.0"
