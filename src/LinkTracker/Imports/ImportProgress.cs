namespace LinkTracker.Imports;

/// <summary>Where an import is, after each committed batch: rows read, the share of the file read (0 to 1), and the counts so far.</summary>
public sealed record ImportProgress(long Rows, double Done, int Created, int Unchanged, int Rejected);
