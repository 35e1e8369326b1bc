"""Networks: settings, criteria, rules documents and the public pages."""
