using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Links;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>What every click store must do; one subclass per engine runs the same assertions.</summary>
public abstract class ClickStoreContract
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:15:00Z");

    /// <summary>Stores for one fresh tenant named <paramref name="tenant"/>.</summary>
    protected abstract Task<(ILinkStore Links, IClickStore Clicks, IStatsStore Stats)> CreateAsync(string tenant);

    protected static Click NewClick(string code, string? recipient, DateTimeOffset at, ClickFlags flags = ClickFlags.None) =>
        new(Guid.CreateVersion7(at), "acme", code, recipient, at, "Mozilla/5.0", null, "203.0.113.0", flags);

    private static async Task<(long Clicks, long Human, long Unique)> TotalsAsync(IStatsStore stats, StatsScope scope)
    {
        var hours = await stats.ReadHourlyAsync("acme", scope, T0.AddDays(-1), T0.AddDays(1), CancellationToken.None);
        return (hours.Sum(h => h.Clicks), hours.Sum(h => h.HumanClicks), hours.Sum(h => h.NewRecipients));
    }

    private static async Task SeedLinksAsync(ILinkStore links) =>
        await links.InsertAsync("acme", [
            new Link("a", "https://example.com/a", [], "spring", null, false, T0, T0),
            new Link("b", "https://example.com/b", [], null, null, false, T0, T0),
        ], CancellationToken.None);

    [Fact]
    public async Task Writing_the_same_clicks_again_changes_no_count()
    {
        var (links, clicks, stats) = await CreateAsync("acme");
        await SeedLinksAsync(links);
        var batch = Enumerable.Range(0, 50).Select(i => NewClick(i % 2 == 0 ? "a" : "b", $"r{i}", T0.AddMinutes(i))).ToList();

        var first = await clicks.WriteAsync("acme", batch, CancellationToken.None);
        var before = await TotalsAsync(stats, StatsScope.Tenant);
        var replay = await clicks.WriteAsync("acme", batch, CancellationToken.None);
        var after = await TotalsAsync(stats, StatsScope.Tenant);

        Assert.Equal(new ClickWriteResult(50, 0), first);
        Assert.Equal(new ClickWriteResult(0, 50), replay);
        Assert.Equal((50L, 50L, 50L), before);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_replay_mixed_with_new_clicks_counts_only_the_new_ones()
    {
        var (links, clicks, stats) = await CreateAsync("acme");
        await SeedLinksAsync(links);
        var old = Enumerable.Range(0, 10).Select(i => NewClick("a", $"r{i}", T0)).ToList();
        await clicks.WriteAsync("acme", old, CancellationToken.None);

        var result = await clicks.WriteAsync("acme", [.. old, NewClick("a", "new", T0)], CancellationToken.None);

        Assert.Equal(new ClickWriteResult(1, 10), result);
        Assert.Equal((11L, 11L, 11L), await TotalsAsync(stats, StatsScope.ForLink("a")));
    }

    [Fact]
    public async Task Unique_recipients_count_each_recipients_first_human_click_per_scope()
    {
        var (links, clicks, stats) = await CreateAsync("acme");
        await SeedLinksAsync(links);
        await clicks.WriteAsync("acme", [
            NewClick("a", "alice", T0),
            NewClick("a", "alice", T0.AddMinutes(1)),
            NewClick("b", "alice", T0.AddMinutes(2)),
            NewClick("a", "scanner-victim", T0.AddMinutes(3), ClickFlags.Bot),
            NewClick("a", null, T0.AddMinutes(4)),
            NewClick("b", "bob", T0.AddMinutes(5), ClickFlags.Head),
        ], CancellationToken.None);

        Assert.Equal((4L, 3L, 1L), await TotalsAsync(stats, StatsScope.ForLink("a")));
        Assert.Equal((2L, 1L, 1L), await TotalsAsync(stats, StatsScope.ForLink("b")));
        Assert.Equal((4L, 3L, 1L), await TotalsAsync(stats, StatsScope.ForCampaign("spring")));
        Assert.Equal((6L, 4L, 1L), await TotalsAsync(stats, StatsScope.Tenant));
    }

    [Fact]
    public async Task Rollups_are_hourly_and_ranges_select_hours()
    {
        var (links, clicks, stats) = await CreateAsync("acme");
        await SeedLinksAsync(links);
        await clicks.WriteAsync("acme", [NewClick("a", "x", T0), NewClick("a", "y", T0.AddHours(1)), NewClick("a", "z", T0.AddHours(2))], CancellationToken.None);

        var hours = await stats.ReadHourlyAsync("acme", StatsScope.ForLink("a"), T0.AddHours(1), T0.AddHours(2), CancellationToken.None);

        Assert.Equal([DateTimeOffset.Parse("2026-03-01T11:00:00Z"), DateTimeOffset.Parse("2026-03-01T12:00:00Z")], hours.Select(h => h.Hour));
        Assert.All(hours, h => Assert.Equal(1, h.Clicks));
    }

    [Fact]
    public async Task Clicks_are_listed_newest_first_and_every_page_follows()
    {
        var (links, clicks, _) = await CreateAsync("acme");
        await SeedLinksAsync(links);
        var written = Enumerable.Range(0, 25).Select(i => NewClick("a", $"r{i}", T0.AddSeconds(i))).ToList();
        await clicks.WriteAsync("acme", [.. written, NewClick("b", "other", T0)], CancellationToken.None);

        var seen = new List<Click>();
        string? cursor = null;
        do
        {
            var page = await clicks.ListAsync("acme", new ClickQuery("a", cursor, 10, null, null), CancellationToken.None);
            Assert.True(page.Items.Count <= 10);
            seen.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(written.Select(c => c.Id).Reverse(), seen.Select(c => c.Id));
        Assert.Equal(written[^1] with { Tenant = "acme" }, seen[0]);
    }
}
