using LinkTracker.Core.Clicks;
using LinkTracker.Core.Links;
using LinkTracker.Core.Reports;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>What every report store must do; one subclass per engine runs the same assertions.</summary>
public abstract class ReportStoreContract
{
    private static readonly DateTimeOffset From = DateTimeOffset.Parse("2026-10-31T23:00:00Z");
    private static readonly DateTimeOffset To = DateTimeOffset.Parse("2026-11-01T23:00:00Z");
    private static readonly DateTimeOffset Saved = DateTimeOffset.Parse("2026-11-02T03:00:00.123Z");

    /// <summary>Stores for one fresh, provisioned tenant named <paramref name="tenant"/>.</summary>
    protected abstract Task<(ILinkStore Links, IClickStore Clicks, IReportStore Reports)> CreateAsync(string tenant);

    private static Click NewClick(string code, string? recipient, DateTimeOffset at, string? referrer = null, ClickFlags flags = ClickFlags.None) =>
        new(Guid.CreateVersion7(at), "acme", code, recipient, at, "Mozilla/5.0", referrer, null, flags);

    private static StoredReport Report(DateOnly date, string content, DateTimeOffset? generatedAt = null) =>
        new(date, "Europe/Paris", From, To, generatedAt ?? Saved, content);

    [Fact]
    public async Task Settings_are_absent_until_saved_and_a_save_replaces_them()
    {
        var (_, _, reports) = await CreateAsync("acme");

        var before = await reports.GetSettingsAsync("acme", CancellationToken.None);
        await reports.SaveSettingsAsync("acme", new ReportSettings("Europe/Paris", "https://hooks.example.com/a", "whsec_1", Saved), CancellationToken.None);
        var first = await reports.GetSettingsAsync("acme", CancellationToken.None);
        await reports.SaveSettingsAsync("acme", new ReportSettings("UTC", null, null, Saved.AddHours(1)), CancellationToken.None);

        Assert.Null(before);
        Assert.Equal(new ReportSettings("Europe/Paris", "https://hooks.example.com/a", "whsec_1", Saved), first);
        Assert.Equal(new ReportSettings("UTC", null, null, Saved.AddHours(1)), await reports.GetSettingsAsync("acme", CancellationToken.None));
    }

    [Fact]
    public async Task Counts_the_clicks_of_the_half_open_period_by_link_referrer_and_human_recipients()
    {
        var (links, clicks, reports) = await CreateAsync("acme");
        await links.InsertAsync("acme", [
            new Link("a", "https://example.com/a", [], null, null, false, From, From),
            new Link("b", "https://example.com/b", [], null, null, false, From, From),
        ], CancellationToken.None);
        await clicks.WriteAsync("acme", [
            NewClick("a", "early", From.AddMilliseconds(-1)),
            NewClick("a", "ann", From, "https://news.example.com/1"),
            NewClick("a", "ann", From.AddHours(3), "https://news.example.com/2"),
            NewClick("a", "bob", From.AddHours(4), flags: ClickFlags.Bot),
            NewClick("a", null, From.AddHours(5)),
            NewClick("b", "ann", To.AddMilliseconds(-1), "https://news.example.com/1"),
            NewClick("b", "cid", From.AddHours(6), flags: ClickFlags.Head),
            NewClick("b", "late", To),
        ], CancellationToken.None);

        var counts = await reports.CountClicksAsync("acme", From, To, (int)ClickFlags.NonHuman, CancellationToken.None);

        Assert.Equal((6L, 4L, 1L), (counts.Clicks, counts.HumanClicks, counts.UniqueRecipients));
        Assert.Equal(
            [new LinkClickCounts("a", 4, 3, 1), new LinkClickCounts("b", 2, 1, 1)],
            counts.Links.OrderBy(l => l.Code, StringComparer.Ordinal));
        Assert.Equal(
            [new ReferrerClickCount(null, 3), new ReferrerClickCount("https://news.example.com/1", 2), new ReferrerClickCount("https://news.example.com/2", 1)],
            counts.Referrers.OrderBy(r => r.Referrer, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_period_without_clicks_counts_zero()
    {
        var (_, _, reports) = await CreateAsync("acme");

        var counts = await reports.CountClicksAsync("acme", From, To, (int)ClickFlags.NonHuman, CancellationToken.None);

        Assert.Equal((0L, 0L, 0L, 0, 0), (counts.Clicks, counts.HumanClicks, counts.UniqueRecipients, counts.Links.Count, counts.Referrers.Count));
    }

    [Fact]
    public async Task Saving_a_date_again_replaces_its_report_and_content_reads_back_byte_for_byte()
    {
        var (_, _, reports) = await CreateAsync("acme");
        var day = new DateOnly(2026, 11, 1);
        const string content = "{\"tenant\":\"acme\",\"note\":\"é \\u2028 \\\"quoted\\\"\"}";

        await reports.SaveReportAsync("acme", Report(day, "{\"old\":true}"), CancellationToken.None);
        await reports.SaveReportAsync("acme", Report(day, content, Saved.AddMinutes(5)), CancellationToken.None);

        Assert.Equal(Report(day, content, Saved.AddMinutes(5)), await reports.GetReportAsync("acme", day, CancellationToken.None));
        Assert.Equal([new ReportSummary(day, "Europe/Paris", Saved.AddMinutes(5))], await reports.ListReportsAsync("acme", day, day, 10, CancellationToken.None));
        Assert.Null(await reports.GetReportAsync("acme", day.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task Reports_are_listed_newest_first_within_the_dates_and_limit()
    {
        var (_, _, reports) = await CreateAsync("acme");
        var first = new DateOnly(2026, 10, 28);
        for (var i = 0; i < 5; i++)
        {
            await reports.SaveReportAsync("acme", Report(first.AddDays(i), "{}"), CancellationToken.None);
        }

        var listed = await reports.ListReportsAsync("acme", first.AddDays(1), first.AddDays(4), 3, CancellationToken.None);

        Assert.Equal([first.AddDays(4), first.AddDays(3), first.AddDays(2)], listed.Select(r => r.Date));
        Assert.Equal(5, (await reports.ListReportsAsync("acme", DateOnly.MinValue, DateOnly.MaxValue, 100, CancellationToken.None)).Count);
    }
}
