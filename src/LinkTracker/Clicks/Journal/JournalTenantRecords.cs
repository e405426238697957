using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Journal;

/// <summary>One tenant's waiting records in the journal's index (guarded by the journal's lock).</summary>
internal sealed class JournalTenantRecords
{
    public Queue<JournalRecord> Records { get; } = new();

    /// <summary>Clicks at the start of the first record already acknowledged.</summary>
    public int Consumed { get; set; }

    public long Pending { get; set; }

    /// <summary>The first record, decoded, when a read took only part of it.</summary>
    public (long Number, Click[] Clicks)? Decoded { get; set; }
}
