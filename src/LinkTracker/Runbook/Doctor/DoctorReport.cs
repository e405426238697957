namespace LinkTracker.Runbook.Doctor;

/// <summary>What GET /ops/doctor answers and `linktracker doctor` prints.</summary>
/// <param name="Status">"healthy", "warning" or "action".</param>
/// <param name="ExitCode">What `linktracker doctor` exits with: 0 healthy, 1 warnings, 2 needs action.</param>
/// <param name="CheckedAt">When the checks ran.</param>
/// <param name="Checks">Every check run, with its verdict.</param>
/// <param name="Problems">What was found, most urgent first.</param>
public sealed record DoctorReport(string Status, int ExitCode, DateTimeOffset CheckedAt, IReadOnlyList<DoctorCheckStatus> Checks, IReadOnlyList<DoctorProblem> Problems);
