"""Build the Council Social Media Policy Handbook from verbatim, tagged policy clauses."""

__version__ = "0.1.0"
