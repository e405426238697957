using LinkTracker.Core.Clicks;

namespace LinkTracker.Tests.Clicks;

/// <summary>
/// The plain model of the writer's inbox on the broker: per tenant the messages the broker holds unacknowledged, in
/// order, and for the current channel which of them were delivered and how many of each one's clicks are stored.
/// A lost channel redelivers every unacknowledged message whole, in order, with new delivery tags.
/// </summary>
internal sealed class BrokerModel
{
    private readonly Dictionary<string, List<Message>> _unacked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Delivered>> _delivered = new(StringComparer.Ordinal);
    private ulong _nextTag = 1;

    public long Generation { get; private set; }

    /// <summary>Every click a writer has stored (any acknowledged take, of any generation).</summary>
    public HashSet<Guid> Stored { get; } = [];

    public List<Message> Acked { get; } = [];

    /// <summary>The clicks of acknowledged messages: the broker never delivers them again.</summary>
    public HashSet<Guid> AckedClicks { get; } = [];

    public Delivered Publish(string tenant, Click[] clicks)
    {
        var message = new Message(clicks);
        Unacked(tenant).Add(message);
        return Deliver(tenant, message);
    }

    /// <summary>The channel is lost: the broker delivers every unacknowledged message again, whole, in order.</summary>
    public IEnumerable<(string Tenant, Delivered Delivery)> LoseChannel()
    {
        Generation++;
        _nextTag = 1;
        _delivered.Clear();
        foreach (var (tenant, messages) in _unacked)
        {
            foreach (var message in messages)
            {
                yield return (tenant, Deliver(tenant, message));
            }
        }
    }

    /// <summary>What a take of at most <paramref name="max"/> must return: the first clicks not stored, and the parts they come from.</summary>
    public (List<Click> Clicks, List<(Delivered Delivery, int End)> Parts)? Take(string tenant, int max)
    {
        var delivered = _delivered.GetValueOrDefault(tenant) ?? [];
        if (delivered.Count == 0)
        {
            return null;
        }

        var clicks = new List<Click>();
        var parts = new List<(Delivered, int)>();
        foreach (var d in delivered)
        {
            if (clicks.Count == max)
            {
                break;
            }

            var end = d.StoredThrough + Math.Min(d.Message.Clicks.Length - d.StoredThrough, max - clicks.Count);
            clicks.AddRange(d.Message.Clicks[d.StoredThrough..end]);
            parts.Add((d, end));
        }

        return (clicks, parts);
    }

    /// <summary>A take's clicks are stored; returns the deliveries of this channel now stored whole, due for their broker ack.</summary>
    public List<Delivered> Store(string tenant, long generation, List<Click> clicks, List<(Delivered Delivery, int End)> parts)
    {
        Stored.UnionWith(clicks.Select(c => c.Id));
        var due = new List<Delivered>();
        if (generation != Generation)
        {
            return due; // its deliveries are gone; the broker delivered the messages again
        }

        foreach (var (d, end) in parts)
        {
            if (!(_delivered.GetValueOrDefault(tenant) ?? []).Contains(d))
            {
                continue; // acknowledged already
            }

            d.StoredThrough = Math.Max(d.StoredThrough, end);
            if (d.StoredThrough == d.Message.Clicks.Length)
            {
                due.Add(d);
            }
        }

        return due;
    }

    /// <summary>The broker receives the ack of a delivery: its message leaves for good.</summary>
    public void Ack(string tenant, Delivered d)
    {
        _delivered[tenant].Remove(d);
        if (!Unacked(tenant).Remove(d.Message))
        {
            throw new InvalidOperationException("A message was acknowledged twice.");
        }

        Acked.Add(d.Message);
        AckedClicks.UnionWith(d.Message.Clicks.Select(c => c.Id));
    }

    public long Waiting(string tenant) => (_delivered.GetValueOrDefault(tenant) ?? []).Sum(d => (long)d.Message.Clicks.Length - d.StoredThrough);

    public List<string> TenantsWithWork() => [.. _delivered.Where(d => d.Value.Count > 0).Select(d => d.Key).Order(StringComparer.Ordinal)];

    public DateTimeOffset? OldestWaiting() =>
        _delivered.Values
            .Select(ds => ds.FirstOrDefault(d => d.StoredThrough < d.Message.Clicks.Length))
            .Where(d => d is not null)
            .Select(d => (DateTimeOffset?)d!.Message.Clicks[d.StoredThrough].At)
            .Min();

    public IEnumerable<Message> AllUnacked() => _unacked.Values.SelectMany(m => m);

    private List<Message> Unacked(string tenant) => _unacked.TryGetValue(tenant, out var list) ? list : _unacked[tenant] = [];

    private Delivered Deliver(string tenant, Message message)
    {
        var d = new Delivered(message, _nextTag++, Generation);
        (_delivered.TryGetValue(tenant, out var list) ? list : _delivered[tenant] = []).Add(d);
        return d;
    }

    public sealed class Message(Click[] clicks)
    {
        public Click[] Clicks { get; } = clicks;
    }

    public sealed class Delivered(Message message, ulong tag, long generation)
    {
        public Message Message { get; } = message;

        public ulong Tag { get; } = tag;

        public long Generation { get; } = generation;

        public int StoredThrough { get; set; }
    }
}
