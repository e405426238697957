using System.Diagnostics.Metrics;

namespace LinkTracker.Clicks;

/// <summary>
/// The capture and writer counters (OpenTelemetry meter "LinkTracker") and the writer's last two minutes
/// second by second, which the runbook and the benchmark read to check the write cap.
/// </summary>
public sealed class ClickMetrics
{
    public const string MeterName = "LinkTracker";
    private const int Seconds = 120;

    private readonly Counter<long> _captured;
    private readonly Counter<long> _captureFailed;
    private readonly Counter<long> _transactions;
    private readonly Counter<long> _inserted;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _writeFailed;
    private readonly Counter<long> _forwarded;
    private readonly Counter<long> _forwardFailed;
    private readonly long[] _secondStamp = new long[Seconds];
    private readonly int[] _secondTransactions = new int[Seconds];
    private readonly long[] _secondRows = new long[Seconds];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private long _oldestPendingMs = -1;

    public ClickMetrics(IMeterFactory meters, PendingClicks pending, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(MeterName);
        _captured = meter.CreateCounter<long>("linktracker.clicks.captured", "{click}", "Clicks committed to the journal");
        _captureFailed = meter.CreateCounter<long>("linktracker.clicks.capture_failed", "{click}", "Clicks redirected but not journaled");
        _transactions = meter.CreateCounter<long>("linktracker.writer.transactions", "{transaction}", "Write transactions begun by the writer");
        _inserted = meter.CreateCounter<long>("linktracker.writer.rows_inserted", "{click}", "Clicks stored by the writer");
        _duplicates = meter.CreateCounter<long>("linktracker.writer.duplicates", "{click}", "Clicks the writer found already stored (replays)");
        _writeFailed = meter.CreateCounter<long>("linktracker.writer.failures", "{transaction}", "Write transactions that failed and will be retried");
        _forwarded = meter.CreateCounter<long>("linktracker.forwarder.clicks", "{click}", "Clicks the edge forwarded to the broker (confirmed)");
        _forwardFailed = meter.CreateCounter<long>("linktracker.forwarder.failures", "{attempt}", "Failed attempts to forward to the broker");
        meter.CreateObservableGauge("linktracker.journal.depth", () => pending.Total, "{click}", "Clicks journaled, not yet stored");
        meter.CreateObservableGauge("linktracker.writer.lag", () => LagSeconds, "s", "Age of the oldest click not yet stored");
    }

    public long Captured { get; private set; }

    public long CaptureFailures { get; private set; }

    public long RowsInserted { get; private set; }

    public long Duplicates { get; private set; }

    public long Transactions { get; private set; }

    public long WriteFailures { get; private set; }

    public long Forwarded { get; private set; }

    public long ForwardFailures { get; private set; }

    /// <summary>Seconds since the oldest waiting click happened; 0 when nothing waits.</summary>
    public double LagSeconds
    {
        get
        {
            var oldest = Interlocked.Read(ref _oldestPendingMs);
            return oldest < 0 ? 0 : Math.Max(0, (_time.GetUtcNow().ToUnixTimeMilliseconds() - oldest) / 1000.0);
        }
    }

    public void ClicksCaptured(int count)
    {
        _captured.Add(count);
        lock (_gate)
        {
            Captured += count;
        }
    }

    public void ClicksForwarded(int count)
    {
        _forwarded.Add(count);
        lock (_gate)
        {
            Forwarded += count;
        }
    }

    public void ForwardFailed()
    {
        _forwardFailed.Add(1);
        lock (_gate)
        {
            ForwardFailures++;
        }
    }

    public void CaptureFailed(int count)
    {
        _captureFailed.Add(count);
        lock (_gate)
        {
            CaptureFailures += count;
        }
    }

    public void OldestPending(DateTimeOffset? at) => Interlocked.Exchange(ref _oldestPendingMs, at?.ToUnixTimeMilliseconds() ?? -1);

    public void TransactionBegun(DateTimeOffset at)
    {
        _transactions.Add(1);
        lock (_gate)
        {
            Transactions++;
            Slot(at.ToUnixTimeSeconds(), out var i);
            _secondTransactions[i]++;
        }
    }

    public void TransactionCommitted(DateTimeOffset at, int inserted, int duplicates)
    {
        _inserted.Add(inserted);
        _duplicates.Add(duplicates);
        lock (_gate)
        {
            RowsInserted += inserted;
            Duplicates += duplicates;
            Slot(at.ToUnixTimeSeconds(), out var i);
            _secondRows[i] += inserted;
        }
    }

    public void TransactionFailed()
    {
        _writeFailed.Add(1);
        lock (_gate)
        {
            WriteFailures++;
        }
    }

    /// <summary>The last two minutes, oldest first, seconds without writes included.</summary>
    public IReadOnlyList<WriterSecond> RecentSeconds()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var result = new List<WriterSecond>(Seconds);
        lock (_gate)
        {
            for (var s = now - Seconds + 1; s <= now; s++)
            {
                var i = (int)(s % Seconds);
                var current = _secondStamp[i] == s;
                result.Add(new WriterSecond(DateTimeOffset.FromUnixTimeSeconds(s), current ? _secondTransactions[i] : 0, current ? _secondRows[i] : 0));
            }
        }

        return result;
    }

    private void Slot(long second, out int index)
    {
        index = (int)(second % Seconds);
        if (_secondStamp[index] != second)
        {
            _secondStamp[index] = second;
            _secondTransactions[index] = 0;
            _secondRows[index] = 0;
        }
    }
}
