using LinkTracker.Core.Clicks;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>What every click journal must do; one subclass per engine.</summary>
public abstract class ClickJournalContract
{
    protected abstract Task<IClickJournal> CreateAsync();

    private static Click NewClick(string tenant, int i) =>
        new(Guid.CreateVersion7(), tenant, "code", $"r{i}", DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000 + i), null, null, null, ClickFlags.None);

    [Fact]
    public async Task Reads_each_tenants_entries_in_order_and_acknowledges_per_tenant()
    {
        var journal = await CreateAsync();
        var clicks = Enumerable.Range(0, 30).Select(i => NewClick(i % 3 == 0 ? "big" : "small", i)).ToList();
        await journal.AppendAsync(clicks, CancellationToken.None);

        var small = await journal.ReadAsync("small", 100, CancellationToken.None);
        var bigFirst = await journal.ReadAsync("big", 4, CancellationToken.None);
        await journal.AcknowledgeAsync("big", bigFirst[^1].Sequence, CancellationToken.None);
        var bigRest = await journal.ReadAsync("big", 100, CancellationToken.None);

        Assert.Equal(clicks.Where(c => c.Tenant == "small").Select(c => c.Id), small.Select(e => e.Click.Id));
        Assert.Equal(clicks.Where(c => c.Tenant == "big").Skip(4).Select(c => c.Id), bigRest.Select(e => e.Click.Id));
        Assert.Equal(clicks[0], bigFirst[0].Click);
        Assert.Equal(new Dictionary<string, long> { ["big"] = 6, ["small"] = 20 }, journal.CountPending());
    }

    [Fact]
    public async Task Knows_the_oldest_waiting_click()
    {
        var journal = await CreateAsync();
        Assert.Null(await journal.OldestPendingAsync(null, CancellationToken.None));

        await journal.AppendAsync([NewClick("a", 5), NewClick("b", 7)], CancellationToken.None);

        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_005), await journal.OldestPendingAsync(null, CancellationToken.None));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_007), await journal.OldestPendingAsync("b", CancellationToken.None));
        Assert.Null(await journal.OldestPendingAsync("c", CancellationToken.None));
    }

    [Fact]
    public async Task An_acknowledged_entry_is_never_read_again()
    {
        var journal = await CreateAsync();
        await journal.AppendAsync([NewClick("a", 1), NewClick("a", 2)], CancellationToken.None);
        var all = await journal.ReadAsync("a", 10, CancellationToken.None);

        await journal.AcknowledgeAsync("a", all[^1].Sequence, CancellationToken.None);

        Assert.Empty(await journal.ReadAsync("a", 10, CancellationToken.None));
        Assert.Empty(journal.CountPending());
    }

    [Fact]
    public async Task Acknowledging_part_of_a_read_leaves_the_rest_waiting_in_order()
    {
        var journal = await CreateAsync();
        var clicks = Enumerable.Range(0, 10).Select(i => NewClick("a", i)).ToList();
        await journal.AppendAsync(clicks[..6], CancellationToken.None);
        await journal.AppendAsync(clicks[6..], CancellationToken.None);

        var first = await journal.ReadAsync("a", 3, CancellationToken.None);
        await journal.AcknowledgeAsync("a", first[^1].Sequence, CancellationToken.None);
        var second = await journal.ReadAsync("a", 5, CancellationToken.None);
        await journal.AcknowledgeAsync("a", second[1].Sequence, CancellationToken.None);
        var rest = await journal.ReadAsync("a", 100, CancellationToken.None);

        Assert.Equal(clicks[..3].Select(c => c.Id), first.Select(e => e.Click.Id));
        Assert.Equal(clicks[3..8].Select(c => c.Id), second.Select(e => e.Click.Id));
        Assert.Equal(clicks[5..].Select(c => c.Id), rest.Select(e => e.Click.Id));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 5 }, journal.CountPending());
    }
}
