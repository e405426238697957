namespace LinkTracker.Runbook.Doctor;

/// <summary>
/// The runbook sections the doctor links to: stable anchors (&lt;a id="..."&gt;) in docs/runbook.md. A test checks
/// that each exists, so renaming a section cannot leave the doctor pointing nowhere.
/// </summary>
public static class RunbookSections
{
    public const string Document = "docs/runbook.md";
    public const string WriterAtCap = Document + "#writer-at-cap";
    public const string WriterFailing = Document + "#writer-failing";
    public const string Lag = Document + "#lag";
    public const string NoisyTenant = Document + "#noisy-tenant";
    public const string LinkCache = Document + "#link-cache";
    public const string Scanners = Document + "#scanners";
    public const string DeadLetters = Document + "#dead-letters";
    public const string SlowOperations = Document + "#slow-operations";
    public const string FrequencySegments = Document + "#frequency-segments";
    public const string DiskSpace = Document + "#disk-space";
    public const string JournalDepth = Document + "#journal-depth";
    public const string Dependencies = Document + "#dependencies";
    public const string DoctorFailed = Document + "#doctor";

    public static IReadOnlyList<string> All =>
        [WriterAtCap, WriterFailing, Lag, NoisyTenant, LinkCache, Scanners, DeadLetters, SlowOperations, FrequencySegments, DiskSpace, JournalDepth, Dependencies, DoctorFailed];
}
