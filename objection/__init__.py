"""objection: GDPR Article 21 objection letters to LinkedIn's AI training."""

__version__ = "0.1.0"
