using CsCheck;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Links;
using LinkTracker.Core.Segments;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>
/// The compiled SQL, run on either engine over random clicks, yields exactly the recipients that <see cref="SegmentModel"/>
/// computes in memory, for random filter trees (all/any/not, every condition, windows around the clicks), with clicks of
/// stored links, of a code with no link, and of signed links whose campaign the writer keeps in signed_links; often "at
/// least N clicks" with only a window and human conditions (the bench's costliest typical shape); with and without the
/// tenant's recipient index (ADR 31), which SQLite reads for such a shape when the window holds a fifth of the clicks.
/// </summary>
public sealed class SegmentSqlModelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 10, 12, 0, 0, 123, TimeSpan.Zero);

    private static readonly Dictionary<string, (string? Campaign, string[] Tags)> Links = new(StringComparer.Ordinal)
    {
        ["a"] = ("spring", ["news"]),
        ["b"] = ("spring", []),
        ["c"] = ("fall", ["news", "promo"]),
        ["d"] = (null, ["promo"]),
    };

    /// <summary>Signed links (ADR 26): no row in links; their clicks carry the campaign, which the writer keeps by code.</summary>
    private static readonly Dictionary<string, string> SignedCampaigns = new(StringComparer.Ordinal) { ["s1"] = "spring", ["s2"] = "fall" };

    /// <summary>Every code's campaign and tags as the model sees them: stored links, and signed ones with their token's campaign.</summary>
    private static readonly Dictionary<string, (string? Campaign, string[] Tags)> ModelLinks = new(
        Links.Concat(SignedCampaigns.Select(s => KeyValuePair.Create(s.Key, ((string?)s.Value, Array.Empty<string>())))), StringComparer.Ordinal);

    private static readonly string?[] Referrers =
        [null, "https://news.example.com/x", "http://news.example.com", "HTTPS://NEWS.EXAMPLE.COM:443/a", "https://news.example.com.evil.net/", "https://other.org/?q", "https://news.example.com?x=1"];

    private static readonly Gen<TimeSpan> Ago = Gen.OneOf(Gen.Int[0, 60 * 24 * 60].Select(m => TimeSpan.FromMinutes(m)), Gen.Int[-5, 5].Select(d => TimeSpan.FromMinutes(d * 60 * 24 * 7)));

    /// <summary>What the enrichment stage stored: (country, device, browser, os, reason), missing values included.</summary>
    private static readonly Gen<(string? Country, string? Device, string? Browser, string? Os, string? Reason)> Enriched = Gen.Select(
        Gen.OneOf<string?>(null, "DE", "AT", "US"),
        Gen.OneOf<string?>(null, "mobile", "desktop", "bot"),
        Gen.OneOf<string?>(null, "Chrome", "Safari", "Samsung Internet", "other"),
        Gen.OneOf<string?>(null, "iOS", "Windows", "macOS"),
        Gen.OneOf<string?>(null, null, "crawler", "mail-scanner"));

    private static readonly Gen<Click> AClick = Gen.Select(
        Gen.OneOf<string>("a", "b", "c", "d", "e", "s1", "s2"),
        Gen.OneOf<string?>("r1", "r2", "r3", "r4", "r5", null),
        Ago,
        Gen.Int[0, Referrers.Length - 1],
        Gen.OneOf(ClickFlags.None, ClickFlags.None, ClickFlags.Bot, ClickFlags.Head),
        Enriched)
        .Select((code, recipient, ago, referrer, flags, e) =>
        {
            var at = AsOf - ago;
            return new Click(Guid.CreateVersion7(at), "t", code, recipient, at, "test", Referrers[referrer], null, flags)
            {
                Campaign = SignedCampaigns.GetValueOrDefault(code),
                Country = e.Country,
                Device = e.Device,
                Browser = e.Browser,
                Os = e.Os,
                Reason = e.Reason,
            };
        });

    /// <summary>Each enrichment condition absent (most often), one value or a list, as the parser normalises them.</summary>
    private static readonly Gen<(string[]? Country, string[]? Device, string[]? Browser, string[]? Os, string[]? Reason)> EnrichedConditions = Gen.Select(
        Gen.OneOf<string[]?>(null, null, null, ["DE"], ["AT", "DE"], ["FR"]),
        Gen.OneOf<string[]?>(null, null, null, ["mobile"], ["bot", "desktop"], ["tablet"]),
        Gen.OneOf<string[]?>(null, null, null, ["chrome"], ["safari", "samsung internet"], ["other"]),
        Gen.OneOf<string[]?>(null, null, null, ["ios"], ["macos", "windows"]),
        Gen.OneOf<string[]?>(null, null, null, ["crawler"], ["head", "mail-scanner"]));

    private static readonly Gen<ClickConditions> PlainConditions = Gen.Select(
        Gen.OneOf<string?>(null, null, "a", "e"),
        Gen.OneOf<string?>(null, null, "spring", "fall"),
        Gen.OneOf<string?>(null, null, "news", "promo"),
        Gen.OneOf<string?>(null, null, null, "news.example.com"),
        Gen.OneOf<bool?>(null, true, false),
        Gen.Int[0, 4],
        Ago,
        Ago)
        .Select((link, campaign, tag, host, human, window, x, y) => new ClickConditions(
            campaign, link, tag, host, human,
            Within: window == 1 ? (x > TimeSpan.Zero ? x : TimeSpan.FromDays(1)) : null,
            From: window is 2 or 4 ? AsOf - (x > y ? x : y) : null,
            To: window is 3 or 4 ? AsOf - (x > y ? y : x) + TimeSpan.FromMilliseconds(1) : null));

    private static readonly Gen<ClickConditions> Conditions = Gen.Select(PlainConditions, EnrichedConditions)
        .Select((c, e) => c with { Country = e.Country, Device = e.Device, Browser = e.Browser, Os = e.Os, Reason = e.Reason });

    /// <summary>Only a window and human or not: "≥ 3 clicks in 30 days" and its kin.</summary>
    private static readonly Gen<ClickConditions> WindowConditions = PlainConditions.Select(c => c with { Link = null, Campaign = null, Tag = null, ReferrerHost = null });

    private readonly TempFolder _folder = new();
    private PostgresTestDatabase? _postgres;
    private int _tenants;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _folder.Dispose();
    }

    private static Gen<SegmentFilter> Filter(int depth)
    {
        var leaf = Gen.OneOf(
            Conditions.Select(SegmentFilter (c) => new ClickedFilter(c)),
            Gen.Select(Gen.Int[1, 3], Conditions).Select(SegmentFilter (n, c) => new ClicksFilter(n, c)),
            Gen.Select(Gen.Int[1, 3], WindowConditions).Select(SegmentFilter (n, c) => new ClicksFilter(n, c)));
        if (depth == 0)
        {
            return leaf;
        }

        var inner = Filter(depth - 1);
        return Gen.Frequency(
            (3, leaf),
            (1, inner.Array[1, 3].Select(SegmentFilter (f) => new AllFilter(f))),
            (1, inner.Array[1, 3].Select(SegmentFilter (f) => new AnyFilter(f))),
            (1, inner.Select(SegmentFilter (f) => new NotFilter(f))));
    }

    [Theory]
    [InlineData("sqlite", 200)]
    [InlineData("postgres", 120)]
    public void The_sql_yields_the_recipients_of_the_in_memory_model(string engine, int iterations) =>
        Gen.Select(AClick.Array[0, 40], Filter(3), Gen.Bool).Sample(
            (clicks, filter, indexed) => RunAsync(engine, clicks, filter, indexed).GetAwaiter().GetResult(),
            iter: iterations,
            threads: 1,
            print: sample => $"{Describe(sample.Item2)} {(sample.Item3 ? "with" : "without")} the recipient index over {sample.Item1.Length} clicks: "
                + string.Join("; ", sample.Item1.Select(c => $"{c.Code} {c.Recipient} -{(AsOf - c.At).TotalMinutes}m {c.Flags} {c.Referrer} {c.Country} {c.Device} {c.Browser} {c.Os} {c.Reason}")));

    /// <summary>Half the clicks, then the recipient index built (ADR 31) or dropped, then the other half; the run against the model.</summary>
    private async Task RunAsync(string engine, Click[] clicks, SegmentFilter filter, bool indexed)
    {
        var (tenant, links, clickStore, segments, index) = engine == "sqlite" ? Sqlite() : await PostgresAsync();
        var now = DateTimeOffset.UnixEpoch;
        await links.InsertAsync(tenant, [.. Links.Select(l => new Link(l.Key, "https://example.com/", l.Value.Tags, l.Value.Campaign, null, false, now, now))], CancellationToken.None);
        var half = clicks.Length / 2;
        await clickStore.WriteAsync(tenant, [.. clicks[..half].Select(c => c with { Tenant = tenant })], CancellationToken.None);
        if (indexed)
        {
            await index.BuildAsync(tenant, CancellationToken.None); // the other half is written into it
        }
        else
        {
            await index.DropAsync(tenant, CancellationToken.None);
        }

        await clickStore.WriteAsync(tenant, [.. clicks[half..].Select(c => c with { Tenant = tenant })], CancellationToken.None);

        var query = SegmentSql.Compile(filter, engine == "sqlite" ? SegmentDialect.Sqlite : SegmentDialect.Postgres, AsOf);
        await segments.StoreRecipientsAsync(tenant, "run", query, new SegmentRunLimits(TimeSpan.FromSeconds(30), 64), CancellationToken.None);
        var stored = await segments.ListRecipientsAsync(tenant, "run", null, 1000, CancellationToken.None);

        var expected = SegmentModel.Evaluate(filter, clicks, ModelLinks, AsOf).Order(StringComparer.Ordinal);
        Assert.Equal(expected, stored);
    }

    private (string, ILinkStore, IClickStore, ISegmentStore, IRecipientIndex) Sqlite()
    {
        var databases = new SqliteDatabases(_folder.Path);
        return ($"model-{Interlocked.Increment(ref _tenants)}", new SqliteLinkStore(databases), new SqliteClickStore(databases), new SqliteSegmentStore(databases),
            new SqliteRecipientIndex(databases));
    }

    /// <summary>A new schema per sample would cost more than the sample: one tenant, emptied before each.</summary>
    private async Task<(string, ILinkStore, IClickStore, ISegmentStore, IRecipientIndex)> PostgresAsync()
    {
        if (_postgres is null)
        {
            _postgres = await PostgresTestDatabase.CreateAsync();
            await new PostgresTenantProvisioner(_postgres.Provisioning).ProvisionAsync("model", CancellationToken.None);
        }

        await using (var empty = _postgres.Owner.CreateCommand("TRUNCATE t_model.clicks, t_model.signed_links, t_model.links CASCADE"))
        {
            await empty.ExecuteNonQueryAsync();
        }

        var databases = _postgres.Runtime;
        return ("model", new PostgresLinkStore(databases), new PostgresClickStore(databases), new PostgresSegmentStore(databases),
            new PostgresRecipientIndex(_postgres.Provisioning));
    }

    private static string Describe(SegmentFilter filter) => filter switch
    {
        AllFilter all => "all(" + string.Join(", ", all.Filters.Select(Describe)) + ")",
        AnyFilter any => "any(" + string.Join(", ", any.Filters.Select(Describe)) + ")",
        NotFilter not => "not(" + Describe(not.Filter) + ")",
        ClickedFilter clicked => "clicked" + Describe(clicked.Conditions),
        ClicksFilter clicks => $"clicks>={clicks.AtLeast}" + Describe(clicks.Conditions),
        _ => "?",
    };

    private static string Describe(ClickConditions c) =>
        c + $" country={Join(c.Country)} device={Join(c.Device)} browser={Join(c.Browser)} os={Join(c.Os)} reason={Join(c.Reason)}";

    private static string Join(IReadOnlyList<string>? values) => values is null ? "-" : string.Join('|', values);
}
