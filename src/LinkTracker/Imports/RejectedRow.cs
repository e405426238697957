namespace LinkTracker.Imports;

/// <summary>A row that was not imported: where it is in the file (CSV line, or JSON item), its code and url as given, and why.</summary>
public sealed record RejectedRow(int Line, string? Code, string? Url, string Reason);
