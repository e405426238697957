using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Doctor;

/// <summary>Each incident kind induced in the real host, and the doctor (GET /ops/doctor) naming it with a runbook section that exists.</summary>
public sealed partial class DoctorTests : IAsyncDisposable
{
    private TestService? _service;

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    private async Task<TestService> StartAsync(params string[] settings)
    {
        _service = await TestService.StartAsync(["Jobs:DailyAt=23:59:59", .. settings]);
        return _service;
    }

    [Fact]
    public async Task A_healthy_service_gives_a_clean_report_and_only_to_the_operator()
    {
        var service = await StartAsync();
        var key = await service.AddTenantAsync("acme");
        using var api = service.Client("acme", key);
        Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "welcome" })).StatusCode);
        Assert.Equal(5, await Clicker.ClickAsync(service.Client("acme"), 5, _ => "/welcome"));
        await service.WaitForWriterAsync();
        using var ops = service.OpsClient();

        var report = await (await ops.GetAsync("/ops/doctor")).ReadJsonAsync();

        Assert.Equal(("healthy", 0), ((string?)report["status"], (int)report["exitCode"]!));
        Assert.Empty(report["problems"]!.AsArray());
        Assert.All(report["checks"]!.AsArray(), c => Assert.Equal("ok", (string?)c!["status"]));
        Assert.Contains("disk-space", report["checks"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Clients.For(service.Address, "localhost").GetAsync("/ops/doctor")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Clients.Ops(service.Address, "acme.localhost", service.OpsToken).GetAsync("/ops/doctor")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Clients.For(service.Address, "localhost", key).GetAsync("/ops/slow")).StatusCode); // a tenant key is no operator token
    }

    [Fact]
    public async Task A_capped_writer_under_a_burst_is_named_at_its_cap_not_failing()
    {
        var service = await StartAsync("Writer:MaxTransactionsPerSecond=1", "Writer:BatchSize=1", "Doctor:WriterCapWindow=00:00:02");
        var key = await service.AddTenantAsync("acme");
        using var api = service.Client("acme", key);
        await api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "burst" });
        Assert.Equal(300, await Clicker.ClickAsync(service.Client("acme"), 300, _ => "/burst"));

        var problem = await WaitForProblemAsync(service, "writer");

        Assert.Equal(("warning", "docs/runbook.md#writer-at-cap"), ((string?)problem["severity"], (string?)problem["runbook"]));
        Assert.Contains("clicks wait", (string?)problem["evidence"], StringComparison.Ordinal);
        Assert.DoesNotContain(await ProblemsAsync(service), p => (string?)p["runbook"] == "docs/runbook.md#writer-failing");
    }

    [Fact]
    public async Task A_flooding_tenant_is_named_as_the_noisy_neighbour_with_its_share()
    {
        var service = await StartAsync("Doctor:NoisyMinimumClicks=100");
        var floodKey = await service.AddTenantAsync("flood");
        var calmKey = await service.AddTenantAsync("calm");
        await service.Client("flood", floodKey).PostJsonAsync("/api/links", new { url = "https://example.com/f", code = "sale" });
        await service.Client("calm", calmKey).PostJsonAsync("/api/links", new { url = "https://example.com/c", code = "news" });
        Assert.Equal(200, await Clicker.ClickAsync(service.Client("flood"), 200, _ => "/sale"));
        Assert.Equal(5, await Clicker.ClickAsync(service.Client("calm"), 5, _ => "/news"));
        await service.WaitForWriterAsync();

        var problem = await WaitForProblemAsync(service, "noisy-tenant");

        Assert.Equal(("flood", "docs/runbook.md#noisy-tenant"), ((string?)problem["tenant"], (string?)problem["runbook"]));
        Assert.Contains("98% of the clicks written (200 of 205)", (string?)problem["evidence"], StringComparison.Ordinal);
        Assert.DoesNotContain(await ProblemsAsync(service), p => (string?)p["tenant"] == "calm");
    }

    [Fact]
    public async Task A_scanner_on_random_codes_is_named_for_its_tenant_and_the_tenant_is_told()
    {
        var service = await StartAsync("Doctor:ScannerUnknownCodes=50", "Insights:UnknownCodes=50");
        var key = await service.AddTenantAsync("acme");
        var otherKey = await service.AddTenantAsync("globex");
        using var scanner = service.Client("acme");
        for (var i = 0; i < 80; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await scanner.GetAsync($"/scan{i:x4}Zq")).StatusCode);
        }

        var problem = await WaitForProblemAsync(service, "scanners");
        var insights = await (await service.Client("acme", key).GetAsync("/api/insights")).ReadJsonAsync();
        var others = await (await service.Client("globex", otherKey).GetAsync("/api/insights")).ReadJsonAsync();

        Assert.Equal(("acme", "warning", "docs/runbook.md#scanners"), ((string?)problem["tenant"], (string?)problem["severity"], (string?)problem["runbook"]));
        Assert.StartsWith("80 redirects to unknown codes of acme", (string?)problem["evidence"], StringComparison.Ordinal);
        Assert.Equal(["unknown-codes"], insights["insights"]!.AsArray().Select(i => (string?)i!["rule"]));
        Assert.Empty(others["insights"]!.AsArray());
    }

    [Fact]
    public async Task A_poison_job_dead_lettered_needs_action()
    {
        var service = await StartAsync("Jobs:MaxAttempts=2", "Jobs:BaseDelay=00:00:00.050", "Jobs:MaxDelay=00:00:00.100");
        await service.AddTenantAsync("acme");
        await service.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new JobRequest("report", "acme", "not json", "report:acme:poison"), null, CancellationToken.None);

        var problem = await WaitForProblemAsync(service, "dead-letters");
        var report = await DoctorAsync(service);

        Assert.Equal(("action", "docs/runbook.md#dead-letters", "acme"), ((string?)problem["severity"], (string?)problem["runbook"], (string?)problem["tenant"]));
        Assert.Contains("report:acme:poison (2 attempts)", (string?)problem["evidence"], StringComparison.Ordinal);
        Assert.Equal(("action", 2), ((string?)report["status"], (int)report["exitCode"]!));
    }

    [Fact]
    public async Task A_slow_operation_is_logged_with_its_shape_named_by_the_doctor_and_told_to_its_tenant()
    {
        var service = await StartAsync("SlowLog:Stats=00:00:00");
        var key = await service.AddTenantAsync("acme");
        using var api = service.Client("acme", key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/stats?campaign=spring&granularity=hour&from=2026-11-01&to=2026-11-08")).StatusCode);
        using var ops = service.OpsClient();

        var slow = await (await ops.GetAsync("/ops/slow?tenant=acme&kind=stats")).ReadJsonAsync();
        var badKind = await ops.GetAsync("/ops/slow?kind=nap");
        var problem = await WaitForProblemAsync(service, "slow-operations");
        var insights = await (await api.GetAsync("/api/insights")).ReadJsonAsync();

        var item = Assert.Single(slow["items"]!.AsArray())!;
        Assert.Equal(("acme", "stats", "scope=campaign range=168h granularity=hour"), ((string?)item["tenant"], (string?)item["kind"], (string?)item["shape"]));
        Assert.Equal(0.0, (double)slow["thresholdsMs"]!["stats"]!);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("kind must be one of segment, stats, report, writer", await badKind.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(("acme", "docs/runbook.md#slow-operations"), ((string?)problem["tenant"], (string?)problem["runbook"]));
        Assert.Contains("shape: scope=campaign range=168h granularity=hour", (string?)problem["evidence"], StringComparison.Ordinal);
        Assert.Contains("slow-queries", insights["insights"]!.AsArray().Select(i => (string?)i!["rule"]));
    }

    [Fact]
    public async Task Insights_tell_a_tenant_it_polls_stats_and_creates_links_one_by_one()
    {
        var service = await StartAsync("Insights:StatsQueriesPerMinute=1", "Insights:LinksOneByOne=3");
        var key = await service.AddTenantAsync("acme");
        var otherKey = await service.AddTenantAsync("globex");
        using var api = service.Client("acme", key);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostJsonAsync("/api/links", new { url = "https://example.com/x", code = $"one{i}" })).StatusCode);
        }

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/stats")).StatusCode);
        }

        var insights = await (await api.GetAsync("/api/insights")).ReadJsonAsync();
        var others = await (await service.Client("globex", otherKey).GetAsync("/api/insights")).ReadJsonAsync();

        Assert.Equal(["stats-polling", "links-one-by-one"], insights["insights"]!.AsArray().Select(i => (string?)i!["rule"]));
        Assert.Equal("6 stats queries in the last 5 minutes (1.2 per minute).", (string?)insights["insights"]![0]!["evidence"]);
        Assert.Contains("POST /api/links/batch", (string?)insights["insights"]![1]!["fix"], StringComparison.Ordinal);
        Assert.Empty(others["insights"]!.AsArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Client("globex", key).GetAsync("/api/insights")).StatusCode);
    }

    [Fact]
    public async Task The_cli_exits_0_when_healthy_1_on_warnings_2_when_action_is_needed_or_no_service_answers()
    {
        var service = await StartAsync("Jobs:MaxAttempts=1");
        string[] target = ["--url", $"http://127.0.0.1:{service.Address.Port}", "--data", service.DataDirectory];

        var healthy = await LinkTrackerCommand.RunAsync(["doctor", .. target]);
        await service.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new JobRequest("report", null, "{}", "report:none"), null, CancellationToken.None);
        await WaitForProblemAsync(service, "dead-letters");
        var action = await LinkTrackerCommand.RunAsync(["doctor", .. target]);
        var json = await LinkTrackerCommand.RunAsync(["doctor", "--json", .. target]);
        var nobody = await LinkTrackerCommand.RunAsync("doctor", "--url", $"http://127.0.0.1:{ServiceProcess.FreePort()}", "--data", service.DataDirectory);

        Assert.Equal(0, healthy.ExitCode);
        Assert.StartsWith("HEALTHY", healthy.Output, StringComparison.Ordinal);
        Assert.Equal(2, action.ExitCode);
        Assert.Contains("ACTION  dead-letters: 1 job(s) failed every attempt", action.Output, StringComparison.Ordinal);
        Assert.Contains("runbook:  docs/runbook.md#dead-letters", action.Output, StringComparison.Ordinal);
        Assert.Equal((2, 2), (json.ExitCode, (int)JsonNode.Parse(json.Output)!["exitCode"]!));
        Assert.Equal(2, nobody.ExitCode);
        Assert.Contains("No LinkTracker answers", nobody.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_builds_shows_and_drops_a_tenants_recipient_index_beside_the_running_service()
    {
        var service = await StartAsync();
        await service.AddTenantAsync("acme");
        string[] data = ["--data", service.DataDirectory];

        var nobody = await LinkTrackerCommand.RunAsync(["segments", "index", "nobody", .. data]);
        var built = await LinkTrackerCommand.RunAsync(["segments", "index", "acme", .. data]);
        var again = await LinkTrackerCommand.RunAsync(["segments", "index", "acme", .. data]);
        var status = await LinkTrackerCommand.RunAsync(["segments", "index", "acme", "--status", .. data]);
        var dropped = await LinkTrackerCommand.RunAsync(["segments", "index", "acme", "--drop", .. data]);
        var gone = await LinkTrackerCommand.RunAsync(["segments", "index", "acme", "--status", .. data]);
        var both = await LinkTrackerCommand.RunAsync(["segments", "index", "acme", "--status", "--drop", .. data]);

        Assert.Equal(2, nobody.ExitCode);
        Assert.Contains("There is no tenant 'nobody'", nobody.Error, StringComparison.Ordinal);
        Assert.Equal((0, 0), (built.ExitCode, again.ExitCode));
        Assert.StartsWith("Recipient index of tenant acme ready", built.Output, StringComparison.Ordinal);
        Assert.Equal((0, "Tenant acme has the recipient index."), (status.ExitCode, status.Output.Trim()));
        Assert.Equal((0, "Recipient index of tenant acme dropped."), (dropped.ExitCode, dropped.Output.Trim()));
        Assert.Equal((0, "Tenant acme has no recipient index."), (gone.ExitCode, gone.Output.Trim()));
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("Give --drop or --status, not both.", both.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_exits_1_on_warnings_only()
    {
        var service = await StartAsync("Doctor:DiskFreeWarningPercent=100", "Doctor:DiskFreeActionPercent=0");

        var warning = await LinkTrackerCommand.RunAsync("doctor", "--url", $"http://127.0.0.1:{service.Address.Port}", "--data", service.DataDirectory);

        Assert.Equal(1, warning.ExitCode);
        Assert.Contains("WARNING disk-space: The disk of the data folder is", warning.Output, StringComparison.Ordinal);
        Assert.Contains("runbook:  docs/runbook.md#disk-space", warning.Output, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> DoctorAsync(TestService service)
    {
        using var ops = service.OpsClient();
        var response = await ops.GetAsync("/ops/doctor");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadJsonAsync();
        var anchors = RunbookAnchors();
        Assert.All(report["problems"]!.AsArray(), p => Assert.Contains(((string)p!["runbook"]!).Split('#')[1], anchors));
        return report;
    }

    private static async Task<List<JsonNode>> ProblemsAsync(TestService service) =>
        [.. (await DoctorAsync(service))["problems"]!.AsArray().Select(p => p!)];

    /// <summary>Polls the doctor until a problem of <paramref name="check"/> shows (the signals are live, not instant).</summary>
    private static async Task<JsonNode> WaitForProblemAsync(TestService service, string check)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var problems = await ProblemsAsync(service);
            if (problems.FirstOrDefault(p => (string?)p["check"] == check) is { } problem)
            {
                return problem;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the doctor did not name a {check} problem; it said: {string.Join(" | ", problems.Select(p => p.ToJsonString()))}");
            await Task.Delay(100);
        }
    }

    private static HashSet<string> RunbookAnchors()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder!.FullName, "LinkTracker.slnx")))
        {
            folder = folder.Parent;
        }

        return [.. AnchorPattern().Matches(File.ReadAllText(Path.Combine(folder.FullName, "docs", "runbook.md"))).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("<a id=\"([a-z0-9-]+)\"></a>")]
    private static partial Regex AnchorPattern();
}
