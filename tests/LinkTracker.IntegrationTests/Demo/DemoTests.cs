using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LinkTracker.Demo;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Demo;

/// <summary>`linktracker demo` on both engines: a month of clicks the stats API shows, and a re-run that adds nothing.</summary>
public sealed partial class DemoTests
{
    [Fact]
    public async Task The_demo_command_fills_a_month_that_the_stats_show_and_a_rerun_adds_nothing()
    {
        using var data = new TempFolder();

        var first = await LinkTrackerCommand.RunAsync("demo", "--tenant", "demo", "--data", data.Path);
        var second = await LinkTrackerCommand.RunAsync("demo", "--tenant", "demo", "--data", data.Path);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        var key = ApiKey().Match(first.Output).Groups[1].Value;
        var written = Count(Written().Match(first.Output));
        Assert.Matches("password: demo-", first.Output);
        Assert.Contains("Links: 0 created, 30 already there.", second.Output);
        Assert.Contains($"Clicks: 0 written, {written.ToString("N0", CultureInfo.CurrentCulture)} already there", second.Output, StringComparison.Ordinal);
        Assert.Contains("password unchanged", second.Output, StringComparison.Ordinal);

        await using var service = await TestService.StartAsync($"Storage:DataDirectory={data.Path}");
        using var api = service.Client("demo", key);
        await AssertMonthAsync(api, written);
    }

    [Fact]
    public async Task On_postgres_the_demo_fills_a_month_and_a_rerun_adds_nothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var service = await TestService.StartAsync(database.ServiceSettings());

        var first = await ActivatorUtilities.CreateInstance<DemoData>(service.Services).SeedAsync("demo", null, CancellationToken.None);
        var again = await ActivatorUtilities.CreateInstance<DemoData>(service.Services).SeedAsync("demo", null, CancellationToken.None);
        await service.Services.GetRequiredService<TenantDirectory>().ReloadAsync(CancellationToken.None);

        Assert.Equal((30, 0, 0, 30), (first.LinksCreated, again.LinksCreated, again.ClicksWritten, again.LinksExisting));
        Assert.Equal(first.ClicksWritten, again.ClicksExisting);
        Assert.NotNull(first.Password);
        Assert.Null(again.Password);
        using var api = service.Client("demo", first.ApiKey);
        await AssertMonthAsync(api, first.ClicksWritten);
    }

    private static async Task AssertMonthAsync(HttpClient api, int written)
    {
        var to = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var from = (DateTimeOffset.UtcNow - TimeSpan.FromDays(31)).ToString("O", CultureInfo.InvariantCulture);
        var stats = await (await api.GetAsync($"/api/stats?granularity=day&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}")).ReadJsonAsync();
        var days = stats["series"]!.AsArray().Count(b => (long)b!["clicks"]! > 0);
        var totals = stats["totals"]!;

        Assert.True(days >= 25, $"clicks on {days} days");
        Assert.Equal(written, (long)totals["clicks"]!);
        Assert.InRange((long)totals["humanClicks"]!, written * 0.8, written * 0.97); // bots and HEAD requests are non-human
        Assert.InRange((long)totals["uniqueRecipients"]!, 100, 600);

        var campaign = await (await api.GetAsync($"/api/stats?granularity=day&campaign=spring-sale&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}")).ReadJsonAsync();
        Assert.True((long)campaign["totals"]!["clicks"]! > 0);
        var recent = await (await api.GetAsync("/api/links/onb-welcome/clicks?limit=50")).ReadJsonAsync();
        Assert.Contains(recent["items"]!.AsArray(), c => c!["recipient"] is JsonValue);
    }

    private static int Count(Match match) => int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.CurrentCulture);

    [GeneratedRegex("API key \\(shown only now\\): (lt_[0-9a-f]+)")]
    private static partial Regex ApiKey();

    [GeneratedRegex("Clicks: ([0-9,.]+) written")]
    private static partial Regex Written();
}
