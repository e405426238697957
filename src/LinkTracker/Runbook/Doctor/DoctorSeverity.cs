namespace LinkTracker.Runbook.Doctor;

/// <summary>How urgent a problem is; the doctor's exit code is the worst one's (healthy 0).</summary>
public enum DoctorSeverity
{
    /// <summary>Worth a look; the service copes (exit code 1).</summary>
    Warning = 1,

    /// <summary>Someone has to act: data waits or is at risk (exit code 2).</summary>
    Action = 2,
}
