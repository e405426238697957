namespace LinkTracker.Runbook.Doctor;

/// <summary>One thing the doctor looks at: live signals in, named problems (with evidence and a runbook section) out.</summary>
public interface IDoctorCheck
{
    /// <summary>Short and stable, e.g. "writer" or "disk-space".</summary>
    string Name { get; }

    /// <returns>The problems found; empty when this part is healthy.</returns>
    Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken);
}
