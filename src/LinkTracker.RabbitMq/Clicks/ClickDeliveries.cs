using LinkTracker.Core.Clicks;

namespace LinkTracker.RabbitMq.Clicks;

/// <summary>
/// The inbox's bookkeeping without the broker: per tenant, the deliveries of the current channel in order and how
/// many of each one's clicks are stored. A delivery larger than a take goes in parts; it is due for its broker ack
/// once its last part is stored, and leaves only when the broker has that ack. Not thread-safe: the inbox holds its
/// lock around every call.
/// </summary>
internal sealed class ClickDeliveries
{
    private readonly Dictionary<string, List<Delivery>> _waiting = new(StringComparer.Ordinal);

    /// <summary>Counts the channels given up: a delivery, or a take, of an older generation is dead (the broker delivers it again).</summary>
    public long Generation { get; private set; }

    /// <summary>Keeps a delivery that arrived on the channel of <paramref name="generation"/>.</summary>
    /// <returns>False when that channel was already given up: the delivery is dropped, the broker delivers it again.</returns>
    public bool Add(string tenant, long generation, ulong tag, Click[] clicks)
    {
        if (generation != Generation)
        {
            return false;
        }

        if (!_waiting.TryGetValue(tenant, out var waiting))
        {
            _waiting[tenant] = waiting = [];
        }

        waiting.Add(new Delivery(generation, tag, clicks));
        return true;
    }

    /// <summary>Tenants with a delivery not yet acknowledged to the broker, in ordinal order.</summary>
    public IReadOnlyList<string> TenantsWithWork() => [.. _waiting.Where(w => w.Value.Count > 0).Select(w => w.Key).Order(StringComparer.Ordinal)];

    /// <summary>The tenant's clicks delivered and not yet stored.</summary>
    public long Waiting(string tenant)
    {
        long count = 0;
        foreach (var delivery in _waiting.GetValueOrDefault(tenant) ?? [])
        {
            count += delivery.Clicks.Length - delivery.Offset;
        }

        return count;
    }

    /// <summary>
    /// The tenant's first <paramref name="max"/> clicks not yet stored, across its deliveries in order; null when no
    /// delivery waits. Taking changes nothing: until <see cref="Stored"/>, the next take returns the same clicks first.
    /// A delivery with nothing left to store (no clicks, or its broker ack failed) rides along, so it is acked with the take.
    /// </summary>
    public Taken? Take(string tenant, int max)
    {
        if (!_waiting.TryGetValue(tenant, out var waiting) || waiting.Count == 0)
        {
            return null;
        }

        var parts = new List<Part>();
        var clicks = new List<Click>(Math.Min(max, 4_096));
        for (var i = 0; i < waiting.Count && clicks.Count < max; i++)
        {
            var delivery = waiting[i];
            var end = delivery.Offset + Math.Min(delivery.Clicks.Length - delivery.Offset, max - clicks.Count);
            clicks.AddRange(delivery.Clicks.AsSpan(delivery.Offset, end - delivery.Offset));
            parts.Add(new Part(delivery, end));
        }

        return new Taken(clicks, parts);
    }

    /// <summary>The clicks of a take are stored: each of its deliveries still here moves on to the part's end.</summary>
    /// <returns>The deliveries now stored whole, in order, to acknowledge to the broker (then call <see cref="Acknowledged"/>).</returns>
    /// <remarks>
    /// A part of a delivery no longer here (acknowledged, or forgotten with its channel) changes nothing; an offset
    /// never moves back, so a late acknowledgement of an older take cannot make stored clicks be taken again.
    /// </remarks>
    public IReadOnlyList<Delivery> Stored(string tenant, IReadOnlyList<Part> parts)
    {
        var complete = new List<Delivery>();
        if (!_waiting.TryGetValue(tenant, out var waiting))
        {
            return complete;
        }

        foreach (var (delivery, end) in parts)
        {
            if (delivery.Generation != Generation || !waiting.Contains(delivery))
            {
                continue;
            }

            delivery.Offset = Math.Max(delivery.Offset, end);
            if (delivery.Offset == delivery.Clicks.Length)
            {
                complete.Add(delivery);
            }
        }

        return complete;
    }

    /// <summary>The broker has the delivery's ack: it leaves.</summary>
    public void Acknowledged(string tenant, Delivery delivery)
    {
        if (_waiting.TryGetValue(tenant, out var waiting))
        {
            waiting.Remove(delivery);
        }
    }

    /// <summary>The channel is gone and with it every unacknowledged delivery (the broker delivers them again): a new generation.</summary>
    public void Forget()
    {
        Generation++;
        _waiting.Clear();
    }

    /// <summary>Per tenant with any, the clicks delivered and not yet stored and the oldest of them: what this writer holds.</summary>
    public IReadOnlyDictionary<string, WaitingClicks> Held()
    {
        var held = new Dictionary<string, WaitingClicks>(StringComparer.Ordinal);
        foreach (var (tenant, deliveries) in _waiting)
        {
            if (FirstWaiting(deliveries) is { } first)
            {
                held[tenant] = new WaitingClicks(Waiting(tenant), first.ToUnixTimeMilliseconds());
            }
        }

        return held;
    }

    /// <summary>When the oldest click not yet stored happened (the first one waiting of each tenant); null when none waits.</summary>
    public DateTimeOffset? OldestWaiting()
    {
        DateTimeOffset? oldest = null;
        foreach (var waiting in _waiting.Values)
        {
            if (FirstWaiting(waiting) is { } first && (oldest is null || first < oldest))
            {
                oldest = first;
            }
        }

        return oldest;
    }

    /// <summary>When the tenant's first click not yet stored happened; null when none waits.</summary>
    private static DateTimeOffset? FirstWaiting(List<Delivery> deliveries) =>
        deliveries.Find(d => d.Offset < d.Clicks.Length) is { } first ? first.Clicks[first.Offset].At : null;

    /// <summary>One message as the broker delivered it on the channel of <see cref="Generation"/>.</summary>
    internal sealed class Delivery(long generation, ulong tag, Click[] clicks)
    {
        public long Generation { get; } = generation;

        public ulong Tag { get; } = tag;

        public Click[] Clicks { get; } = clicks;

        /// <summary>How many of its clicks are stored (a message larger than a take goes in parts).</summary>
        public int Offset { get; set; }
    }

    /// <summary>A delivery's clicks from its offset (at the take) up to <see cref="End"/>, taken into one batch.</summary>
    internal readonly record struct Part(Delivery Delivery, int End);

    /// <summary>What one take returns: the clicks, and the parts of deliveries they came from.</summary>
    internal sealed record Taken(IReadOnlyList<Click> Clicks, IReadOnlyList<Part> Parts);
}
