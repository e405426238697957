namespace LinkTracker.Core.Common;

/// <summary>A database was migrated by a newer LinkTracker than this one; refusing it keeps old code off new data.</summary>
public sealed class SchemaTooNewException(string database, int found, int known)
    : Exception($"{database} is at schema version {found}, but this LinkTracker knows only up to {known}. Upgrade LinkTracker before using this data.");
