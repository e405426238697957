using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Slow;

/// <summary>
/// The per-tenant slow-operation log: a bounded ring per tenant, in memory (ADR 14). Whatever does slow work reports
/// into it with one call after the work, <c>slowLog.Record(tenant, kind, elapsed, rowsRead, shape)</c>; the log keeps
/// the operation only when it took at least its kind's threshold. Read at /ops/slow, by the doctor and the insights. On the
/// distributed deployment <see cref="RunbookFleet"/> sends the kept ones to the other nodes and keeps theirs here.
/// </summary>
public sealed class SlowLog(IOptions<SlowLogOptions> options, TimeProvider time)
{
    private readonly SlowLogOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Ring> _tenants = new(StringComparer.Ordinal);
    private ConcurrentQueue<SlowOperation>? _unsent;

    /// <summary>Keeps the operation if it was slow for its kind.</summary>
    /// <param name="tenant">Whose work it was.</param>
    /// <param name="kind">Which threshold applies.</param>
    /// <param name="duration">How long it took.</param>
    /// <param name="rowsRead">Rows it read (or wrote, for the writer).</param>
    /// <param name="shape">The filter or query shape, without the tenant's values (they may be personal data).</param>
    /// <returns>Whether it was kept.</returns>
    public bool Record(string tenant, SlowOperationKind kind, TimeSpan duration, long rowsRead, string shape)
    {
        if (duration < _options.Threshold(kind))
        {
            return false;
        }

        var operation = new SlowOperation(tenant, kind, time.GetUtcNow(), Math.Round(duration.TotalMilliseconds, 3), rowsRead, shape);
        Receive(operation);
        _unsent?.Enqueue(operation);
        return true;
    }

    /// <summary>From now on, keeps what this node records for <see cref="TakeUnsent"/> too.</summary>
    public void ShareWithFleet() => Interlocked.CompareExchange(ref _unsent, new(), null);

    /// <summary>What this node kept since the last call, at most <paramref name="limit"/> (empty unless shared).</summary>
    public IReadOnlyList<SlowOperation> TakeUnsent(int limit = 1000)
    {
        var taken = new List<SlowOperation>();
        while (taken.Count < limit && _unsent is not null && _unsent.TryDequeue(out var operation))
        {
            taken.Add(operation);
        }

        return taken;
    }

    /// <summary>Another node's slow operation (already past its threshold there), kept as it is and not sent on.</summary>
    public void Receive(SlowOperation operation) =>
        _tenants.GetOrAdd(operation.Tenant, static (_, capacity) => new Ring(capacity), _options.PerTenant).Add(operation);

    /// <summary>Slow operations, newest first, of one tenant or all, optionally of one kind and since a time.</summary>
    public IReadOnlyList<SlowOperation> Recent(string? tenant = null, SlowOperationKind? kind = null, DateTimeOffset? since = null, int limit = int.MaxValue)
    {
        IEnumerable<SlowOperation> all = tenant is null
            ? _tenants.Values.SelectMany(r => r.Snapshot())
            : _tenants.TryGetValue(tenant, out var ring) ? ring.Snapshot() : [];
        return [.. all
            .Where(o => (kind is null || o.Kind == kind) && (since is null || o.At >= since))
            .OrderByDescending(o => o.At)
            .Take(limit)];
    }

    private sealed class Ring(int capacity)
    {
        private readonly SlowOperation[] _items = new SlowOperation[capacity];
        private readonly Lock _gate = new();
        private int _next;
        private int _count;

        public void Add(SlowOperation operation)
        {
            lock (_gate)
            {
                _items[_next] = operation;
                _next = (_next + 1) % _items.Length;
                _count = Math.Min(_count + 1, _items.Length);
            }
        }

        public SlowOperation[] Snapshot()
        {
            lock (_gate)
            {
                var result = new SlowOperation[_count];
                for (var i = 0; i < _count; i++)
                {
                    result[i] = _items[(_next - 1 - i + _items.Length) % _items.Length];
                }

                return result;
            }
        }
    }
}
