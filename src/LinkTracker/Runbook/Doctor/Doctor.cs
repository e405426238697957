namespace LinkTracker.Runbook.Doctor;

/// <summary>Runs every <see cref="IDoctorCheck"/> and sums them up: the worst severity sets the status and the exit code.</summary>
public sealed partial class Doctor(IEnumerable<IDoctorCheck> checks, TimeProvider time, ILogger<Doctor> logger)
{
    public async Task<DoctorReport> ExamineAsync(CancellationToken cancellationToken)
    {
        var statuses = new List<DoctorCheckStatus>();
        var problems = new List<DoctorProblem>();
        foreach (var check in checks)
        {
            try
            {
                var found = await check.CheckAsync(cancellationToken);
                problems.AddRange(found);
                statuses.Add(new DoctorCheckStatus(check.Name, found.Count == 0 ? "ok" : Status(found.Max(p => p.Severity))));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogCheckFailed(logger, ex, check.Name);
                statuses.Add(new DoctorCheckStatus(check.Name, "failed"));
                problems.Add(new DoctorProblem(check.Name, DoctorSeverity.Warning, $"The doctor's {check.Name} check failed, so that part was not examined.", ex.Message, RunbookSections.DoctorFailed));
            }
        }

        var worst = problems.Count == 0 ? 0 : (int)problems.Max(p => p.Severity);
        problems.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        return new DoctorReport(worst switch { 0 => "healthy", 1 => "warning", _ => "action" }, worst, time.GetUtcNow(), statuses, problems);
    }

    private static string Status(DoctorSeverity severity) => severity == DoctorSeverity.Action ? "action" : "warning";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The doctor's {Check} check failed")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string check);
}
