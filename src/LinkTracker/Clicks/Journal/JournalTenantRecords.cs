using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Journal;

/// <summary>
/// One tenant's waiting records in the journal's index (guarded by the journal's lock). How many clicks wait is
/// derived here from the records themselves: the clicks of the queued records less those of the first one already
/// acknowledged. Nothing else keeps that number.
/// </summary>
internal sealed class JournalTenantRecords
{
    private readonly Queue<JournalRecord> _records = new();
    private long _clicks;

    public int Count => _records.Count;

    /// <summary>Clicks at the start of the first record already acknowledged.</summary>
    public int Consumed { get; private set; }

    /// <summary>Clicks appended and not yet acknowledged.</summary>
    public long Pending => _clicks - Consumed;

    /// <summary>The first record, decoded, when a read took only part of it.</summary>
    public (long Number, Click[] Clicks)? Decoded { get; set; }

    public IEnumerable<JournalRecord> Records => _records;

    public void Enqueue(JournalRecord record)
    {
        _records.Enqueue(record);
        _clicks += record.Count;
    }

    public bool TryPeek(out JournalRecord record) => _records.TryPeek(out record!);

    /// <summary>Marks the first <paramref name="through"/> clicks of the first record acknowledged (never fewer than before).</summary>
    public void ConsumeHead(int through)
    {
        var head = _records.Peek();
        Consumed = Math.Clamp(through, Consumed, head.Count);
    }

    /// <summary>Drops the first record, wholly acknowledged.</summary>
    public JournalRecord DequeueHead()
    {
        var head = _records.Dequeue();
        _clicks -= head.Count;
        Consumed = 0;
        return head;
    }
}
