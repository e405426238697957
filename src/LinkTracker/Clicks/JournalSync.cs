namespace LinkTracker.Clicks;

public enum JournalSync
{
    /// <summary>fsync at every group commit: survives power loss.</summary>
    Full,

    /// <summary>No fsync per commit (WAL): survives a process crash, not a power loss.</summary>
    Normal,
}
