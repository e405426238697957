namespace LinkTracker.Runbook.Doctor;

/// <summary>A problem the doctor found: what, the numbers that show it, and the runbook section that fixes it.</summary>
/// <param name="Check">The <see cref="IDoctorCheck.Name"/> that found it.</param>
/// <param name="Severity">Warning (exit code 1) or Action (exit code 2).</param>
/// <param name="Title">What is wrong, in one sentence.</param>
/// <param name="Evidence">The live numbers behind it.</param>
/// <param name="Runbook">docs/runbook.md#anchor: what to do.</param>
/// <param name="Tenant">The tenant it concerns, when it is one tenant's.</param>
public sealed record DoctorProblem(string Check, DoctorSeverity Severity, string Title, string Evidence, string Runbook, string? Tenant = null);
