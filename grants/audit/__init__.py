"""The auditor's side: overview, trace of a grant, the audit log and the exports."""
