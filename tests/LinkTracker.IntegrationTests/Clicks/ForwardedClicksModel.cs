using LinkTracker.Core.Clicks;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>
/// The plain model of an edge's forwarding: per tenant the clicks appended, in order, and how far they were
/// published. The broker sees each tenant's clicks in append order, each once; only after a crash (acknowledgements
/// since the last clean stop lost) may clicks already published come again, and then before any new one.
/// </summary>
internal sealed class ForwardedClicksModel(IReadOnlyList<string> tenants)
{
    private readonly Dictionary<string, Tenant> _tenants = tenants.ToDictionary(t => t, _ => new Tenant(), StringComparer.Ordinal);
    private readonly Dictionary<Guid, (string Tenant, int Index)> _where = [];

    public void Appended(IEnumerable<Click> clicks)
    {
        foreach (var click in clicks)
        {
            var tenant = _tenants[click.Tenant];
            _where[click.Id] = (click.Tenant, tenant.Appended);
            tenant.Appended++;
        }
    }

    /// <summary>Checks one message the broker confirmed, against what the journal may still hold.</summary>
    public void Published(string tenant, IReadOnlyList<Click> clicks, int batchSize)
    {
        Assert.InRange(clicks.Count, 1, batchSize);
        var t = _tenants[tenant];
        foreach (var click in clicks)
        {
            var (owner, i) = _where[click.Id];
            Assert.True(owner == tenant, $"tenant {owner}'s click went out in a message of tenant {tenant}");
            Assert.True(i > t.Last, $"{tenant}#{i} published after {tenant}#{t.Last}: twice without a crash, or out of order");
            Assert.True(i <= t.Unpublished, $"{tenant}#{t.Unpublished} was skipped: {tenant}#{i} came first");
            if (i < t.Unpublished)
            {
                // A click published before the last crash: only from what that crash could replay, and before any new one.
                Assert.True(i >= t.Floor, $"{tenant}#{i} came again, but it was acknowledged before the last clean stop (from #{t.Floor} on)");
                Assert.True(t.Replayed > 0, $"{tenant}#{i} came again more often than the journal held replayed clicks");
                t.Replayed--;
            }
            else
            {
                Assert.True(t.Replayed == 0, $"{tenant}#{i} (new) went out while {t.Replayed} replayed clicks still waited before it");
                t.Unpublished++;
            }

            t.Last = i;
        }
    }

    /// <summary>What the journal should count as waiting per tenant (every click published is acknowledged at a quiescent point).</summary>
    public Dictionary<string, long> Pending() =>
        _tenants.Where(t => t.Value.Pending > 0).ToDictionary(t => t.Key, t => t.Value.Pending, StringComparer.Ordinal);

    /// <summary>A clean stop wrote the acknowledgements down: a later crash replays nothing before what still waits now.</summary>
    public void StoppedCleanly()
    {
        foreach (var t in _tenants.Values.Where(t => t.Replayed == 0))
        {
            t.Floor = t.Unpublished;
        }
    }

    /// <summary>After a crash the journal holds, per tenant, some clicks already published: how many is learned from its count.</summary>
    public void Crashed(IReadOnlyDictionary<string, long> pending)
    {
        foreach (var (name, t) in _tenants)
        {
            var replayed = pending.GetValueOrDefault(name) - (t.Appended - t.Unpublished);
            Assert.True(replayed >= 0, $"after a crash tenant {name} has {pending.GetValueOrDefault(name)} clicks waiting, fewer than the {t.Appended - t.Unpublished} never published");
            Assert.True(replayed <= t.Unpublished - t.Floor, $"after a crash tenant {name} replays {replayed} clicks, more than the {t.Unpublished - t.Floor} published since the last clean stop");
            t.Replayed = (int)replayed;
            t.Last = -1;
        }
    }

    public void AssertAllPublished()
    {
        foreach (var (name, t) in _tenants)
        {
            Assert.True(t.Unpublished == t.Appended && t.Replayed == 0, $"tenant {name}: {t.Unpublished} of {t.Appended} published, {t.Replayed} replayed clicks left");
        }
    }

    private sealed class Tenant
    {
        public int Appended { get; set; }

        /// <summary>The first click never published; every one before it was, at least once.</summary>
        public int Unpublished { get; set; }

        /// <summary>The last click published since the last crash (-1: none).</summary>
        public int Last { get; set; } = -1;

        /// <summary>Clicks published before the last crash that the journal still holds (they go out again first).</summary>
        public int Replayed { get; set; }

        /// <summary>No crash can replay a click before this one: acknowledged before the last clean stop.</summary>
        public int Floor { get; set; }

        public long Pending => Appended - Unpublished + Replayed;
    }
}
