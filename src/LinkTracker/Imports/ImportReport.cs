namespace LinkTracker.Imports;

/// <summary>
/// What an import did (or, on a dry run, would do). Created: new links. Unchanged: codes the tenant already had with the
/// same destination. Duplicates: rows repeating an earlier row of the file. History: links whose past clicks were
/// recorded or changed. Every other row is in <see cref="Rejected"/>, with its reason.
/// </summary>
public sealed record ImportReport(
    bool DryRun,
    long Rows,
    int Created,
    int Unchanged,
    int Duplicates,
    int History,
    long ClicksRecorded,
    IReadOnlyList<RejectedRow> Rejected);
