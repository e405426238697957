using System.Net;
using System.Net.Http.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static LinkTracker.IntegrationTests.Reports.ReportsTestKit;

namespace LinkTracker.IntegrationTests.Reports;

/// <summary>Reports with Storage:Engine=Postgres over HTTP, on a fresh database: settings and reports live in the tenant's schema.</summary>
public sealed class PostgresReportsTests : IAsyncLifetime
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).DateTime).AddDays(-2);
    private PostgresTestDatabase _database = null!;
    private TestService _service = null!;
    private HttpClient _acme = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _service = await TestService.StartAsync(_database.ServiceSettings());
        _acme = _service.Client("acme", await _service.AddTenantAsync("acme"));
        (await _acme.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _acme.Dispose();
        await _service.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_requested_day_is_made_in_the_tenants_time_zone_and_a_re_run_replaces_it()
    {
        var settings = await _acme.PutAsJsonAsync("/api/settings", new { timeZone = "Europe/Paris", webhookUrl = "https://hooks.example.com/lt" });
        await _service.Services.GetRequiredService<IClickStore>().WriteAsync("acme", [
            ClickAt("acme", "a", Local(Day, 0, 0, Paris).AddMilliseconds(-1), "before"),
            ClickAt("acme", "a", Local(Day, 0, 30, Paris), "ann", "https://news.example.com/x"),
            ClickAt("acme", "a", Local(Day, 23, 30, Paris), "bob", flags: ClickFlags.Head),
        ], CancellationToken.None);

        await RequestReportsAsync(_acme, Day, Day);
        var first = await _acme.GetStringAsync($"/api/reports/{Iso(Day)}");
        await RequestReportsAsync(_acme, Day, Day);
        var again = await _acme.GetStringAsync($"/api/reports/{Iso(Day)}");
        var csv = await _acme.GetStringAsync($"/api/reports/{Iso(Day)}?format=csv");

        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.Equal(first, again);
        Assert.Contains("\"totals\":{\"clicks\":2,\"humanClicks\":1,\"nonHumanClicks\":1,\"nonHumanShare\":0.5,\"uniqueRecipients\":1}", first, StringComparison.Ordinal);
        Assert.Contains($"{Iso(Day)},referrer,news.example.com,1,,,,", csv, StringComparison.Ordinal);
        Assert.Equal("Europe/Paris", (string?)(await (await _acme.GetAsync("/api/settings")).ReadJsonAsync())["timeZone"]);

        // Stored in the tenant's own schema, one row per day however often it is made.
        await using var count = _database.Owner.CreateCommand("SELECT count(*), min(time_zone) FROM t_acme.reports");
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((1L, "Europe/Paris"), (reader.GetInt64(0), reader.GetString(1)));
    }
}
