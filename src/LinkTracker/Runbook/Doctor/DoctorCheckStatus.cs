namespace LinkTracker.Runbook.Doctor;

/// <summary>One check's outcome in the report: "ok", "warning", "action", or "failed" when the check itself threw.</summary>
public sealed record DoctorCheckStatus(string Name, string Status);
