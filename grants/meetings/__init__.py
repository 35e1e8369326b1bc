"""Network meetings: planning now; agenda, attendance, votes and minutes later."""
