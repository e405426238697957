using System.Net;
using System.Text;
using LinkTracker.Core.Links;
using LinkTracker.Imports;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Imports;

/// <summary>Imports into the embedded engine of a running service: what the API, the redirects and the stats then show.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    private TestService _service = null!;
    private HttpClient _api = null!;

    private LinkImporter Importer => _service.Services.GetRequiredService<LinkImporter>();

    private ILinkImportStore Ledger => _service.Services.GetRequiredService<ILinkImportStore>();

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync();
        _api = _service.Client("acme", await _service.AddTenantAsync("acme"));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _service.DisposeAsync();
    }

    private Task<ImportReport> ImportAsync(ImportFormat format, string text, bool dryRun = false, int batchSize = 1000,
        Action<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return Importer.ImportAsync("acme", format, stream, new ImportSettings(dryRun, batchSize), progress, cancellationToken);
    }

    private async Task<List<string>> CodesAsync()
    {
        var links = await (await _api.GetAsync("/api/links?limit=100")).ReadJsonAsync();
        return [.. links["items"]!.AsArray().Select(l => (string)l!["code"]!).Order(StringComparer.Ordinal)];
    }

    private async Task<long> ClicksAsync(string path)
    {
        var stats = await (await _api.GetAsync(path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "from=2019-01-01T00:00:00Z&to=2025-01-01T00:00:00Z")).ReadJsonAsync();
        return (long)stats["totals"]!["clicks"]!;
    }

    [Fact]
    public async Task A_csv_export_creates_its_good_rows_and_reports_every_bad_one_by_line_and_reason()
    {
        var report = await ImportAsync(ImportFormat.Csv, ImportSamples.Csv);

        Assert.Equal((10L, 3, 0, 1), (report.Rows, report.Created, report.Unchanged, report.Duplicates));
        Assert.Equal([6, 7, 8, 9, 10, 11], report.Rejected.Select(r => r.Line));
        Assert.Contains("appears earlier in the file (line 2)", report.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("only http and https", report.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("code is required", report.Rejected[2].Reason, StringComparison.Ordinal);
        Assert.Contains("A code has 1 to 64 characters", report.Rejected[3].Reason, StringComparison.Ordinal);
        Assert.Contains("reserved", report.Rejected[4].Reason, StringComparison.Ordinal);
        Assert.Contains("'lots' is not a whole number", report.Rejected[5].Reason, StringComparison.Ordinal);
        Assert.Equal(["fall", "spring", "summer"], await CodesAsync());

        var spring = await (await _api.GetAsync("/api/links/spring")).ReadJsonAsync();
        Assert.Equal("sale", (string?)spring["campaign"]);
        Assert.Equal(["email", "promo"], spring["tags"]!.AsArray().Select(t => (string)t!));
        using var visitor = _service.Client("acme");
        var redirect = await visitor.GetAsync("/fall");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("https://shop.example.com/f%C3%A4ll", redirect.Headers.Location!.OriginalString);

        // Past clicks are in the stats, in the hour each link was created in the old system.
        Assert.Equal(42, await ClicksAsync("/api/stats"));
        Assert.Equal(42, await ClicksAsync("/api/stats?campaign=sale"));
        Assert.Equal(12, await ClicksAsync("/api/links/spring/stats"));
        var perHour = await (await _api.GetAsync("/api/links/summer/stats?from=2024-06-01T09:00:00Z&to=2024-06-01T10:00:00Z&granularity=hour")).ReadJsonAsync();
        Assert.Equal(30, (long)perHour["totals"]!["clicks"]!);
        Assert.Equal(0, (long)perHour["totals"]!["uniqueRecipients"]!);
        var summer = await Ledger.FindRecordAsync("acme", "summer", CancellationToken.None);
        Assert.Equal(("csv", "Summer, at last", 30L), (summer!.Source, summer.Title, summer.Clicks));
    }

    [Fact]
    public async Task Running_the_same_import_again_changes_nothing()
    {
        await ImportAsync(ImportFormat.Csv, ImportSamples.Csv);
        var links = await (await _api.GetAsync("/api/links?limit=100")).Content.ReadAsStringAsync();

        var again = await ImportAsync(ImportFormat.Csv, ImportSamples.Csv);

        Assert.Equal((0, 3, 1, 0), (again.Created, again.Unchanged, again.Duplicates, again.History));
        Assert.Equal(6, again.Rejected.Count);
        Assert.Equal(links, await (await _api.GetAsync("/api/links?limit=100")).Content.ReadAsStringAsync());
        Assert.Equal(42, await ClicksAsync("/api/stats"));
    }

    [Fact]
    public async Task A_code_the_tenant_has_with_another_destination_or_deleted_is_rejected_and_left_alone()
    {
        (await _api.PostJsonAsync("/api/links", new { url = "https://mine.example.com/", code = "spring" })).EnsureSuccessStatusCode();
        (await _api.PostJsonAsync("/api/links", new { url = "https://mine.example.com/old", code = "summer" })).EnsureSuccessStatusCode();
        (await _api.DeleteAsync("/api/links/summer")).EnsureSuccessStatusCode();

        var report = await ImportAsync(ImportFormat.Csv, ImportSamples.Csv);

        Assert.Equal(1, report.Created);
        Assert.Contains(report.Rejected, r => r.Line == 2 && r.Reason.Contains("already points to https://mine.example.com/", StringComparison.Ordinal));
        Assert.Contains(report.Rejected, r => r.Line == 3 && r.Reason.Contains("deleted", StringComparison.Ordinal));
        Assert.Equal("https://mine.example.com/", (string?)(await (await _api.GetAsync("/api/links/spring")).ReadJsonAsync())["url"]);
        Assert.Equal(0, await ClicksAsync("/api/stats"));
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_happen_and_writes_nothing()
    {
        var report = await ImportAsync(ImportFormat.Csv, ImportSamples.Csv, dryRun: true);

        Assert.True(report.DryRun);
        Assert.Equal((3, 1, 6), (report.Created, report.Duplicates, report.Rejected.Count));
        Assert.Empty(await CodesAsync());
        Assert.Null(await Ledger.FindRecordAsync("acme", "spring", CancellationToken.None));
        Assert.Equal(0, await ClicksAsync("/api/stats"));
    }

    [Fact]
    public async Task An_interrupted_import_leaves_whole_batches_and_running_it_again_finishes_it_without_counting_twice()
    {
        var rows = Enumerable.Range(0, 25).Select(i => $"c{i},https://shop.example.com/{i},,,2024-01-01T00:00:00Z,,{i}");
        var csv = "code,url,campaign,tags,createdAt,title,clicks\n" + string.Join("\n", rows) + "\n";
        using var stop = new CancellationTokenSource();

        // Stopped once the second batch of 10 is committed, as Ctrl+C would.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImportAsync(ImportFormat.Csv, csv, batchSize: 10,
            progress: p =>
            {
                if (p.Created == 20)
                {
                    stop.Cancel();
                }
            },
            cancellationToken: stop.Token));
        Assert.Equal(20, (await CodesAsync()).Count);

        var resumed = await ImportAsync(ImportFormat.Csv, csv, batchSize: 10);

        Assert.Equal((5, 20), (resumed.Created, resumed.Unchanged));
        Assert.Equal(25, (await CodesAsync()).Count);
        Assert.Equal(Enumerable.Range(0, 25).Sum(), await ClicksAsync("/api/stats"));
    }

    [Fact]
    public async Task A_newer_export_with_more_clicks_replaces_the_imported_history_instead_of_adding_to_it()
    {
        await ImportAsync(ImportFormat.Csv, "code,url,createdAt,clicks\nq,https://q.example.com/,2024-02-02T02:00:00Z,10\n");
        var newer = await ImportAsync(ImportFormat.Csv, "code,url,createdAt,clicks\nq,https://q.example.com/,2024-02-02T02:00:00Z,25\n");

        Assert.Equal((0, 1, 1), (newer.Created, newer.Unchanged, newer.History));
        Assert.Equal(25, await ClicksAsync("/api/links/q/stats"));
        Assert.Equal(25, await ClicksAsync("/api/stats"));
    }

    [Theory]
    [InlineData(ImportFormat.Yourls, ImportSamples.YourlsCsv)]
    [InlineData(ImportFormat.Yourls, ImportSamples.YourlsJson)]
    [InlineData(ImportFormat.Kutt, ImportSamples.KuttJson)]
    [InlineData(ImportFormat.Shlink, ImportSamples.ShlinkJson)]
    public async Task Each_system_s_export_gives_the_same_links_titles_and_past_clicks(ImportFormat format, string export)
    {
        var report = await ImportAsync(format, export);
        var again = await ImportAsync(format, export);

        Assert.Equal(2, report.Created);
        Assert.Equal((0, 2), (again.Created, again.Unchanged));
        Assert.Equal(["ozh", "yt"], await CodesAsync());
        Assert.Equal("https://video.example.org/watch?v=abc", (string?)(await (await _api.GetAsync("/api/links/yt")).ReadJsonAsync())["url"]);
        var ozh = await Ledger.FindRecordAsync("acme", "ozh", CancellationToken.None);
        Assert.Equal((format.ToString().ToLowerInvariant(), "About me", 41L), (ozh!.Source, ozh.Title, ozh.Clicks));
        Assert.Equal(new DateTimeOffset(2019, 4, 5, 6, 7, 8, TimeSpan.Zero), ozh.SourceCreatedAt);
        Assert.Equal(41, await ClicksAsync("/api/links/ozh/stats"));
        Assert.Equal(41, await ClicksAsync("/api/stats"));
        if (format == ImportFormat.Kutt)
        {
            Assert.Contains("password-protected", Assert.Single(report.Rejected).Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(report.Rejected);
        }
    }
}
