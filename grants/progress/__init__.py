"""The progress report (lägesrapport) to the municipality, per funding period."""
