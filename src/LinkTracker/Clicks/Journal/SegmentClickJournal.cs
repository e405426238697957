using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Journal;

/// <summary>
/// The click journal as append-only segment files (ADR 9). An append writes one record per tenant (that tenant's
/// clicks, binary) at the end of the newest segment in a single write, then one fsync. An index in memory lists
/// each tenant's records; acknowledging drops them from it, and a segment whose records are all acknowledged is
/// deleted. Acknowledgements are not written down: after a restart every record still on disk is read again, and
/// the writer's upserts by click id drop the ones already stored.
/// </summary>
public sealed partial class SegmentClickJournal(string folder, bool syncEachAppend, ILogger<SegmentClickJournal> logger, long segmentBytes = SegmentClickJournal.SegmentBytes)
    : IClickJournal, IDisposable
{
    /// <summary>A sequence is the record's number shifted left by this, plus the click's index in the record.</summary>
    private const int IndexBits = 20;
    private const long IndexMask = (1L << IndexBits) - 1;
    private const int MaxRecordClicks = ClickCodec.MaxClicks;

    /// <summary>A new segment starts once the newest holds this much; bounds what a restart reads again.</summary>
    public const long SegmentBytes = 8 << 20;

    private readonly SemaphoreSlim _append = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JournalTenantRecords> _tenants = new(StringComparer.Ordinal);
    private readonly List<JournalSegment> _segments = [];
    private readonly List<ParkedJournalRecord> _parked = [];
    private JournalSegment? _newest;
    private long _nextSegment = 1;
    private long _nextRecord = 1;
    private FileStream? _lock;
    private int _disposed;

    /// <summary>Records found at start that this build cannot read (a newer click format), kept in their segments.</summary>
    public IReadOnlyList<ParkedJournalRecord> Parked
    {
        get
        {
            lock (_gate)
            {
                return [.. _parked];
            }
        }
    }

    public async Task AppendAsync(IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
    {
        if (clicks.Count == 0)
        {
            return;
        }

        using var buffer = new MemoryStream(64 + (clicks.Count * 160));
        var parts = new List<(string Tenant, long Start, int Length, int Count, long OldestAtMs)>();
        foreach (var (tenant, part) in JournalRecord.SplitByTenant(clicks, MaxRecordClicks))
        {
            var (start, length) = JournalRecord.Write(buffer, tenant, part);
            parts.Add((tenant, start, length, part.Count, part.Min(c => c.At.ToUnixTimeMilliseconds())));
        }

        await _append.WaitAsync(cancellationToken);
        try
        {
            var segment = SegmentFor(buffer.Length);
            var offset = segment.Length;
            RandomAccess.Write(segment.Handle, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), offset);
            if (syncEachAppend)
            {
                RandomAccess.FlushToDisk(segment.Handle);
            }

            // A failed write or sync leaves Length where it was: the next append writes over whatever part landed.
            segment.Length += buffer.Length;
            lock (_gate)
            {
                foreach (var (tenant, start, length, count, oldest) in parts)
                {
                    Index(tenant, new JournalRecord(_nextRecord++, segment, offset + start, length, count, oldest));
                }
            }
        }
        finally
        {
            _append.Release();
        }
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string tenant, int max, CancellationToken cancellationToken)
    {
        JournalRecord[] records;
        int consumed;
        (long Number, Click[] Clicks)? decoded;
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenant, out var waiting) || waiting.Count == 0)
            {
                return Task.FromResult<IReadOnlyList<JournalEntry>>([]);
            }

            consumed = waiting.Consumed;
            decoded = waiting.Decoded;
            var take = new List<JournalRecord>();
            var clicks = -consumed;
            foreach (var record in waiting.Records)
            {
                take.Add(record);
                clicks += record.Count;
                if (clicks >= max)
                {
                    break;
                }
            }

            records = [.. take];
        }

        var entries = new List<JournalEntry>(Math.Min(max, 4_096));
        for (var r = 0; r < records.Length && entries.Count < max; r++)
        {
            var record = records[r];
            var clicks = decoded is { } d && d.Number == record.Number ? d.Clicks : record.Read();
            var i = r == 0 ? consumed : 0;
            for (; i < clicks.Length && entries.Count < max; i++)
            {
                entries.Add(new JournalEntry(Sequence(record.Number, i), clicks[i]));
            }

            if (i < clicks.Length)
            {
                Remember(tenant, record.Number, clicks);
            }
        }

        return Task.FromResult<IReadOnlyList<JournalEntry>>(entries);
    }

    public Task AcknowledgeAsync(string tenant, long throughSequence, CancellationToken cancellationToken)
    {
        var (number, index) = Position(throughSequence);
        List<JournalSegment>? done = null;
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenant, out var waiting))
            {
                return Task.CompletedTask;
            }

            while (waiting.TryPeek(out var head) && head.Number <= number)
            {
                if (head.Number == number && index + 1 < head.Count)
                {
                    waiting.ConsumeHead(index + 1);
                    break;
                }

                waiting.DequeueHead();
                if (--head.Segment.Waiting == 0 && head.Segment != _newest)
                {
                    _segments.Remove(head.Segment);
                    (done ??= []).Add(head.Segment);
                }
            }

            if (waiting.Decoded is { } d && (!waiting.TryPeek(out var first) || first.Number != d.Number))
            {
                waiting.Decoded = null;
            }
        }

        foreach (var segment in done ?? [])
        {
            segment.Delete();
        }

        return Task.CompletedTask;
    }

    public IReadOnlyDictionary<string, long> CountPending()
    {
        lock (_gate)
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (tenant, waiting) in _tenants)
            {
                if (waiting.Pending > 0)
                {
                    counts[tenant] = waiting.Pending;
                }
            }

            return counts;
        }
    }

    /// <summary>A click's sequence: its record's number and its index in that record, packed so that order is kept.</summary>
    internal static long Sequence(long record, int index) => (record << IndexBits) | (uint)index;

    /// <summary>The record number and click index a sequence was made from (the inverse of <see cref="Sequence"/>).</summary>
    internal static (long Record, int Index) Position(long sequence) => (sequence >> IndexBits, (int)(sequence & IndexMask));

    public Task<DateTimeOffset?> OldestPendingAsync(string? tenant, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_lock is null, this);
            long? oldest = null;
            foreach (var (name, waiting) in _tenants)
            {
                if ((tenant is null || name == tenant) && waiting.TryPeek(out var head) && (oldest is null || head.OldestAtMs < oldest))
                {
                    oldest = head.OldestAtMs;
                }
            }

            return Task.FromResult(oldest is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null);
        }
    }

    /// <summary>Makes every append so far durable (fsync of the newest segment), whatever Capture:Synchronous says.</summary>
    public void Flush()
    {
        _append.Wait();
        try
        {
            if (_newest is { } newest)
            {
                RandomAccess.FlushToDisk(newest.Handle);
            }
        }
        finally
        {
            _append.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // An append under way finishes (and is indexed) before the segments are closed.
        _append.Wait();
        lock (_gate)
        {
            if (_lock is not null)
            {
                WriteAcknowledgements();
            }

            foreach (var segment in _segments)
            {
                // Written down nowhere else: a segment whose records were all acknowledged must not be read again.
                if (segment.Waiting == 0)
                {
                    segment.Delete();
                }
                else
                {
                    segment.Dispose();
                }
            }

            _segments.Clear();
            _lock?.Dispose();
        }

        _append.Dispose();
    }

    /// <summary>Runs under both locks at a clean stop: what is acknowledged is written down, so a restart does not deliver it again.</summary>
    private void WriteAcknowledgements()
    {
        if (_newest is { } newest && !syncEachAppend)
        {
            RandomAccess.FlushToDisk(newest.Handle); // the positions written below must name records that are on disk
        }

        var tenants = new Dictionary<string, (long, long, int)>(StringComparer.Ordinal);
        foreach (var (tenant, waiting) in _tenants)
        {
            tenants[tenant] = NotPast(_parked.Count > 0 ? _parked[0] : null, waiting.TryPeek(out var head)
                ? (head.Segment.Number, head.Offset, waiting.Consumed)
                : _newest is { } n ? (n.Number, n.Length, 0) : (_nextSegment, 0, 0));
        }

        try
        {
            new JournalAcknowledgements(_nextSegment, tenants).Write(folder);
        }
        catch (IOException e)
        {
            LogAcknowledgementsNotWritten(logger, e, folder);
        }
    }

    /// <summary>
    /// A position no later than the first parked record: this build cannot tell whose clicks it holds, and a newer
    /// build that reads it must not take it for acknowledged (its tenant's later records are then delivered again).
    /// </summary>
    private static (long Segment, long Offset, int Consumed) NotPast(ParkedJournalRecord? parked, (long Segment, long Offset, int Consumed) at) =>
        parked is not null && (at.Segment > parked.SegmentNumber || (at.Segment == parked.SegmentNumber && at.Offset > parked.Offset))
            ? (parked.SegmentNumber, parked.Offset, 0)
            : at;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the journal's acknowledgements in {Folder}; acknowledged clicks are delivered again after the restart (stored once)")]
    private static partial void LogAcknowledgementsNotWritten(ILogger logger, Exception exception, string folder);

    /// <summary>Runs under the append lock: the newest segment, or a new one when this append would overfill it.</summary>
    private JournalSegment SegmentFor(long bytes)
    {
        ObjectDisposedException.ThrowIf(_lock is null, this);
        if (_newest is not null && (_newest.Length == 0 || _newest.Length + bytes <= segmentBytes))
        {
            return _newest;
        }

        var segment = JournalSegment.Create(folder, _nextSegment++);
        DirectorySync.Flush(folder);
        JournalSegment? emptied = null;
        lock (_gate)
        {
            var previous = _newest;
            _newest = segment;
            _segments.Add(segment);
            if (previous is { Waiting: 0 })
            {
                _segments.Remove(previous);
                emptied = previous;
            }
        }

        emptied?.Delete();
        return segment;
    }

    /// <summary>Runs under the lock.</summary>
    private void Index(string tenant, JournalRecord record)
    {
        if (!_tenants.TryGetValue(tenant, out var waiting))
        {
            _tenants[tenant] = waiting = new JournalTenantRecords();
        }

        waiting.Enqueue(record);
        record.Segment.Waiting++;
    }

    /// <summary>Keeps a record that was read only in part, so the next read does not decode it again.</summary>
    private void Remember(string tenant, long number, Click[] clicks)
    {
        lock (_gate)
        {
            if (_tenants.TryGetValue(tenant, out var waiting) && waiting.TryPeek(out var head) && head.Number == number)
            {
                waiting.Decoded = (number, clicks);
            }
        }
    }
}
