using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Segments;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Jobs;
using LinkTracker.Runbook.Slow;
using LinkTracker.Segments;
using LinkTracker.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>
/// Segments end to end over HTTP, the same assertions on each engine: validation with the bad node's path, CRUD, the
/// cost preview, a run through the job queue polled to completion, recipients as JSON pages and CSV, the guardrails'
/// refusals and another tenant's 404s; the operator's recipient index (ADR 31), named by the doctor while it is missing.
/// </summary>
public abstract class SegmentsApiContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private TestService _service = null!;
    private HttpClient _acme = null!;

    /// <summary>Starts the service on the engine under test, with extra settings such as "Segments:MaxRowsPerRun=1".</summary>
    protected abstract Task<TestService> StartAsync(Action<IServiceCollection>? services, params string[] settings);

    public virtual async Task InitializeAsync()
    {
        _service = await StartAsync(null);
        _acme = await SeedAsync(_service);
    }

    public virtual async Task DisposeAsync()
    {
        _acme.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task A_bad_filter_is_refused_with_422_naming_the_path_of_the_bad_node_and_nothing_is_saved()
    {
        var bad = await _acme.PostRawAsync("/api/segments",
            """{"name": "x", "filter": {"all": [{"clicked": {"link": "a"}}, {"clicked": {"within": "7 days"}}]}}""");
        var unknown = await _acme.PostRawAsync("/api/segments", """{"name": "x", "filter": {"some": []}}""");
        var noName = await _acme.PostRawAsync("/api/segments", """{"filter": {"clicked": {}}}""");
        var list = await (await _acme.GetAsync("/api/segments")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(["filter.all[1].clicked.within"], errors.Select(e => e.Key));
        Assert.Contains("P7D", (string?)errors["filter.all[1].clicked.within"]![0], StringComparison.Ordinal);
        Assert.True((await unknown.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("filter.some"));
        Assert.True((await noName.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("name"));
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Segments_are_created_read_listed_changed_and_deleted()
    {
        var created = await _acme.PostRawAsync("/api/segments", """{"name": "Spring", "filter": {"clicked": {"campaign": "spring"}}}""");
        var body = await created.ReadJsonAsync();
        var id = (string)body["id"]!;
        var patched = await (await _acme.PatchRawAsync($"/api/segments/{id}", """{"name": "Spring, week", "filter": {"clicked": {"campaign": "spring", "within": "P7D"}}}""")).ReadJsonAsync();
        var read = await (await _acme.GetAsync($"/api/segments/{id}")).ReadJsonAsync();
        var list = await (await _acme.GetAsync("/api/segments")).ReadJsonAsync();
        var badPatch = await _acme.PatchRawAsync($"/api/segments/{id}", """{"filter": {"not": {"clicks": {"within": "P1D"}}}}""");
        var deleted = await _acme.DeleteAsync($"/api/segments/{id}");
        var gone = await _acme.GetAsync($"/api/segments/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/segments/{id}", created.Headers.Location?.ToString());
        Assert.Equal("Spring, week", (string?)patched["name"]);
        Assert.Equal("P7D", (string?)read["filter"]!["clicked"]!["within"]);
        Assert.Equal([id], list["items"]!.AsArray().Select(s => (string?)s!["id"]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badPatch.StatusCode);
        Assert.True((await badPatch.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("filter.not.clicks.atLeast"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("""{"clicked": {"campaign": "spring", "within": "P7D"}}""", "ann")]
    [InlineData("""{"clicks": {"atLeast": 3, "within": "P30D", "human": true}}""", "bob")]
    [InlineData("""{"all": [{"clicked": {"link": "pricing"}}, {"not": {"clicked": {"campaign": "spring"}}}]}""", "dee")]
    [InlineData("""{"any": [{"clicked": {"tag": "newsletter", "within": "P7D"}}, {"clicked": {"referrerHost": "news.example.com"}}]}""", "ann,cy,dee")]
    [InlineData("""{"not": {"clicked": {"human": true}}}""", "cy")]
    [InlineData("""{"clicked": {"country": ["de", "AT"], "within": "P7D"}}""", "ann,bob")]
    [InlineData("""{"clicked": {"device": "mobile", "browser": "safari", "os": ["iOS", "Android"]}}""", "ann")]
    [InlineData("""{"all": [{"clicked": {"reason": ["crawler", "mail-scanner"]}}, {"not": {"clicked": {"country": "DE"}}}]}""", "cy")]
    public async Task A_run_goes_through_the_job_queue_and_its_recipients_are_served_with_their_as_of(string filter, string expected)
    {
        var id = await CreateAsync(_acme, filter);

        var preview = await (await _acme.PostRawAsync("/api/segments/preview", $$"""{"filter": {{filter}}}""")).ReadJsonAsync();
        var before = await _acme.GetAsync($"/api/segments/{id}/recipients");
        var run = await RunAsync(_acme, id);
        var page = await (await _acme.GetAsync($"/api/segments/{id}/recipients")).ReadJsonAsync();
        var csv = await _acme.GetAsync($"/api/segments/{id}/recipients?format=csv");

        Assert.True((bool)preview["allowed"]! && (long)preview["estimatedRows"]! > 0, preview.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("completed", (string?)run["state"]);
        Assert.True((long)run["durationMs"]! >= 0 && (long)run["rowsRead"]! > 0, run.ToJsonString());
        Assert.Equal(expected, string.Join(',', page["recipients"]!.AsArray().Select(r => (string?)r)));
        Assert.Equal(expected.Split(',').Length, (long)page["total"]!);
        Assert.Equal((string?)run["asOf"], (string?)page["asOf"]);
        Assert.Equal("recipient\r\n" + string.Concat(expected.Split(',').Select(r => r + "\r\n")), await csv.Content.ReadAsStringAsync());
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Recipients_come_in_pages_with_a_cursor_bound_to_the_run()
    {
        var id = await CreateAsync(_acme, """{"clicked": {}}""");
        await RunAsync(_acme, id);

        var first = await (await _acme.GetAsync($"/api/segments/{id}/recipients?limit=3")).ReadJsonAsync();
        var second = await (await _acme.GetAsync($"/api/segments/{id}/recipients?limit=3&cursor={Uri.EscapeDataString((string)first["next"]!)}")).ReadJsonAsync();
        await RunAsync(_acme, id);
        var stale = await _acme.GetAsync($"/api/segments/{id}/recipients?limit=3&cursor={Uri.EscapeDataString((string)first["next"]!)}");

        Assert.Equal("ann,bob,cy", string.Join(',', first["recipients"]!.AsArray().Select(r => (string?)r)));
        Assert.Equal("dee", string.Join(',', second["recipients"]!.AsArray().Select(r => (string?)r)));
        Assert.Null(second["next"]);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
    }

    [Fact]
    public async Task A_filter_that_would_read_more_rows_than_the_ceiling_is_refused_before_it_runs()
    {
        await using var service = await StartAsync(null, "Segments:MaxRowsPerRun=1");
        using var acme = await SeedAsync(service);
        var id = await CreateAsync(acme, """{"not": {"clicked": {"link": "pricing"}}}""");

        var preview = await (await acme.PostRawAsync("/api/segments/preview", """{"filter": {"not": {"clicked": {"link": "pricing"}}}}""")).ReadJsonAsync();
        var refused = await acme.PostAsync($"/api/segments/{id}/runs", null);
        var problem = await refused.ReadJsonAsync();

        Assert.False((bool)preview["allowed"]!);
        Assert.Contains("Segments:MaxRowsPerRun", (string?)preview["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(1L, (long)problem["maxRowsPerRun"]!);
        Assert.Contains("within", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(0, (await service.Services.GetRequiredService<IJobQueue>().CountAsync(CancellationToken.None)).Waiting);
    }

    [Fact]
    public async Task Runs_beyond_the_tenants_small_queue_are_refused_with_429()
    {
        var held = new TaskCompletionSource();
        await using var service = await StartAsync(
            s => s.AddKeyedScoped<IJobHandler>(SegmentRunJob.Type, (_, _) => new HeldHandler(held.Task)), "Segments:QueuedRunsPerTenant=2");
        using var acme = await SeedAsync(service);
        var id = await CreateAsync(acme, """{"clicked": {}}""");

        var first = await acme.PostAsync($"/api/segments/{id}/runs", null);
        var second = await acme.PostAsync($"/api/segments/{id}/runs", null);
        var third = await acme.PostAsync($"/api/segments/{id}/runs", null);
        var status = await (await acme.GetAsync(first.Headers.Location!.ToString())).ReadJsonAsync();
        held.SetResult();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("Segments:QueuedRunsPerTenant", (string?)(await third.ReadJsonAsync())["detail"], StringComparison.Ordinal);
        Assert.Equal("queued", (string?)status["state"]);
    }

    [Fact]
    public async Task Another_tenants_segments_runs_and_recipients_are_not_found()
    {
        var id = await CreateAsync(_acme, """{"clicked": {}}""");
        var run = await RunAsync(_acme, id);
        using var beta = _service.Client("beta", await _service.AddTenantAsync("beta"));

        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/api/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/api/segments/{id}/recipients")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync((string)run["statusUrl"]!)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.PostAsync($"/api/segments/{id}/runs", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.DeleteAsync($"/api/segments/{id}")).StatusCode);
        Assert.Empty((await (await beta.GetAsync("/api/segments")).ReadJsonAsync())["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await _acme.GetAsync($"/api/segments/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_slow_frequency_segment_names_the_missing_recipient_index_until_the_operator_builds_it_and_keeps_its_recipients()
    {
        await using var service = await StartAsync(null, "SlowLog:Segment=00:00:00");
        using var acme = await SeedAsync(service);
        using var ops = service.OpsClient();
        var slow = service.Services.GetRequiredService<SlowLog>();
        var admin = service.Services.GetRequiredService<TenantAdmin>();
        var id = await CreateAsync(acme, """{"clicks": {"atLeast": 2, "within": "P30D"}}""");

        var without = await RunAsync(acme, id);
        var withoutShape = slow.Recent("acme", SlowOperationKind.Segment)[0].Shape;
        var withoutRecipients = await (await acme.GetAsync($"/api/segments/{id}/recipients")).ReadJsonAsync();
        var doctor = await (await ops.GetAsync("/ops/doctor")).ReadJsonAsync();
        var insights = await (await acme.GetAsync("/api/insights")).ReadJsonAsync();

        await admin.BuildRecipientIndexAsync("acme", CancellationToken.None);
        var with = await RunAsync(acme, id);
        var withShape = slow.Recent("acme", SlowOperationKind.Segment)[0].Shape;
        var withRecipients = await (await acme.GetAsync($"/api/segments/{id}/recipients")).ReadJsonAsync();
        var dropped = await admin.DropRecipientIndexAsync("acme", CancellationToken.None);

        Assert.Equal(("completed", "completed"), ((string?)without["state"], (string?)with["state"]));
        Assert.Equal("clicks" + IRecipientIndex.MissingShape, withoutShape);
        Assert.Equal("clicks", withShape);
        Assert.Equal(["ann", "bob"], withoutRecipients["recipients"]!.AsArray().Select(r => (string?)r));
        Assert.Equal(["ann", "bob"], withRecipients["recipients"]!.AsArray().Select(r => (string?)r));
        var problem = Assert.Single(doctor["problems"]!.AsArray(), p => (string?)p!["check"] == "frequency-segments")!;
        Assert.Equal(("acme", "docs/runbook.md#frequency-segments"), ((string?)problem["tenant"], (string?)problem["runbook"]));
        Assert.Contains("linktracker segments index acme", (string?)problem["evidence"], StringComparison.Ordinal);
        Assert.Contains("frequency-segments", insights["insights"]!.AsArray().Select(i => (string?)i!["rule"]));
        Assert.True(dropped);
        Assert.False(await admin.HasRecipientIndexAsync("acme", CancellationToken.None));
        await Assert.ThrowsAsync<TenantAdminException>(() => admin.BuildRecipientIndexAsync("nobody", CancellationToken.None));
    }

    protected static async Task<string> CreateAsync(HttpClient api, string filter)
    {
        var created = await api.PostRawAsync("/api/segments", $$"""{"name": "test", "filter": {{filter}}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (string)(await created.ReadJsonAsync())["id"]!;
    }

    /// <summary>Asks for a run, checks the 202 and its Location, and polls that until the run has finished.</summary>
    protected static async Task<JsonNode> RunAsync(HttpClient api, string id)
    {
        var accepted = await api.PostAsync($"/api/segments/{id}/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location?.ToString() ?? throw new InvalidOperationException("202 without a Location");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var status = await (await api.GetAsync(location)).ReadJsonAsync();
            if ((string?)status["state"] is "completed" or "failed")
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the run did not finish in time: {status.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Tenant acme with links spring1 (campaign spring, tag newsletter), pricing and other (tag promo), and clicks:
    /// ann clicked spring1 2 days ago and pricing yesterday; bob clicked spring1 10 days ago and pricing 3 times this week;
    /// cy's only click is a bot's on other from news.example.com; dee clicked pricing 40 days ago from news.example.com.
    /// Enriched: ann's spring1 click on a mobile Safari/iOS from DE, one of bob's from AT, cy a crawler from US, dee from US.
    /// </summary>
    protected static async Task<HttpClient> SeedAsync(TestService service)
    {
        var acme = service.Client("acme", await service.AddTenantAsync("acme"));
        (await acme.PostJsonAsync("/api/links", new { url = "https://example.com/s", code = "spring1", campaign = "spring", tags = new[] { "newsletter" } })).EnsureSuccessStatusCode();
        (await acme.PostJsonAsync("/api/links", new { url = "https://example.com/p", code = "pricing" })).EnsureSuccessStatusCode();
        (await acme.PostJsonAsync("/api/links", new { url = "https://example.com/o", code = "other", tags = new[] { "promo" } })).EnsureSuccessStatusCode();
        await service.Services.GetRequiredService<IClickStore>().WriteAsync("acme", [
            Click("spring1", Now.AddDays(-2), "ann") with { Country = "DE", Device = "mobile", Browser = "Safari", Os = "iOS" },
            Click("pricing", Now.AddDays(-1), "ann"),
            Click("spring1", Now.AddDays(-10), "bob"),
            Click("pricing", Now.AddDays(-5), "bob"),
            Click("pricing", Now.AddDays(-4), "bob") with { Country = "AT", Device = "desktop", Browser = "Chrome", Os = "Windows" },
            Click("pricing", Now.AddDays(-3), "bob"),
            Click("other", Now.AddDays(-1), "cy", "https://news.example.com/x", ClickFlags.Bot) with { Reason = "crawler", Device = "bot", Country = "US" },
            Click("pricing", Now.AddDays(-40), "dee", "https://NEWS.example.com") with { Country = "US" },
            Click("pricing", Now.AddDays(-1), null),
        ], CancellationToken.None);
        return acme;
    }

    private static Click Click(string code, DateTimeOffset at, string? recipient, string? referrer = null, ClickFlags flags = ClickFlags.None) =>
        new(Guid.CreateVersion7(at), "acme", code, recipient, at, Clients.BrowserAgent, referrer, null, flags);

    private sealed class HeldHandler(Task release) : IJobHandler
    {
        public Task RunAsync(JobLease job, CancellationToken cancellationToken) => release.WaitAsync(cancellationToken);
    }
}
