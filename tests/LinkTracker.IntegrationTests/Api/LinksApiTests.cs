using System.Net;
using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Api;

public sealed class LinksApiTests : IAsyncLifetime
{
    private TestService _service = null!;
    private HttpClient _api = null!;

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

    [Fact]
    public async Task Creates_a_link_with_a_generated_code_that_redirects()
    {
        var response = await _api.PostJsonAsync("/api/links", new { url = "https://example.com/landing?x=1", tags = new[] { "b", "a" }, campaign = "nov" });
        var link = await response.ReadJsonAsync();
        var code = (string)link["code"]!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/links/{code}", response.Headers.Location?.OriginalString);
        Assert.Matches("^[0-9A-Za-z]{7}$", code);
        Assert.Equal($"http://acme.localhost:{_service.Address.Port}/{code}", (string?)link["shortUrl"]);
        Assert.Equal(["a", "b"], link["tags"]!.AsArray().Select(t => (string)t!));

        var redirect = await _api.GetAsync($"/{code}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("https://example.com/landing?x=1", redirect.Headers.Location?.OriginalString);
        Assert.Contains("no-store", redirect.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_custom_code_is_a_conflict()
    {
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/1", code = "dup" })).EnsureSuccessStatusCode();

        var response = await _api.PostJsonAsync("/api/links", new { url = "https://example.com/2", code = "dup" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already taken", (string?)(await response.ReadJsonAsync())["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_is_created_whole()
    {
        var links = Enumerable.Range(0, 1000).Select(i => new { url = $"https://example.com/r/{i}", campaign = "blast" }).ToArray();

        var response = await _api.PostJsonAsync("/api/links/batch", new { links });
        var created = (await response.ReadJsonAsync())["links"]!.AsArray();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1000, created.Count);
        Assert.Equal(1000, created.Select(l => (string)l!["code"]!).Distinct().Count());
    }

    [Fact]
    public async Task A_batch_with_one_bad_item_creates_nothing_and_names_the_item()
    {
        var response = await _api.PostJsonAsync("/api/links/batch", new
        {
            links = new object[]
            {
                new { url = "https://example.com/ok", code = "batch-ok" },
                new { url = "javascript:alert(1)" },
                new { url = "https://example.com/ok2", code = "has space" },
            },
        });
        var problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["links[1].url"]);
        Assert.NotNull(problem["errors"]!["links[2].code"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/links/batch-ok")).StatusCode);
    }

    [Fact]
    public async Task A_batch_with_a_taken_code_creates_nothing()
    {
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/1", code = "batch-taken" })).EnsureSuccessStatusCode();

        var response = await _api.PostJsonAsync("/api/links/batch", new
        {
            links = new object[] { new { url = "https://example.com/a", code = "batch-new" }, new { url = "https://example.com/b", code = "batch-taken" } },
        });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.NotNull((await response.ReadJsonAsync())["errors"]!["links[1].code"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/links/batch-new")).StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_batch_outside_1_to_1000_is_refused(int count)
    {
        var links = Enumerable.Range(0, count).Select(i => new { url = $"https://example.com/{i}" }).ToArray();

        var response = await _api.PostJsonAsync("/api/links/batch", new { links });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1 to 1000", (await response.ReadJsonAsync())["errors"]!["links"]![0]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_every_link_once_across_pages()
    {
        using var client = _service.Client("pager", await _service.AddTenantAsync("pager"));
        var links = Enumerable.Range(0, 25).Select(i => new { url = $"https://example.com/{i}", code = $"p{i}", tags = i % 5 == 0 ? new[] { "five" } : [] }).ToArray();
        (await client.PostJsonAsync("/api/links/batch", new { links })).EnsureSuccessStatusCode();

        var codes = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/links?limit=10{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync();
            codes.AddRange(page["items"]!.AsArray().Select(l => (string)l!["code"]!));
            cursor = (string?)page["next"];
        }
        while (cursor is not null);

        Assert.Equal(25, codes.Distinct().Count());
        var tagged = await (await client.GetAsync("/api/links?tag=five")).ReadJsonAsync();
        Assert.Equal(5, tagged["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_text_search_finds_the_oldest_of_many_links_and_refuses_an_overlong_text()
    {
        var store = _service.Services.GetRequiredService<ILinkStore>();
        var at = DateTimeOffset.UtcNow;
        var old = new Link("needle-old", "https://example.com/Haystack-Needle", [], "archive", null, false, at, at);
        await store.InsertAsync("acme", [old], CancellationToken.None);
        var newer = Enumerable.Range(0, 6_000).Select(i => new Link($"hay{i}", $"https://example.com/hay/{i}", [], null, null, false, at, at)).ToList();
        Assert.Empty(await store.InsertAsync("acme", newer, CancellationToken.None));

        var found = await (await _api.GetAsync("/api/links?q=NEEDLE&limit=10")).ReadJsonAsync();
        var tooLong = await _api.GetAsync("/api/links?q=" + new string('x', 201));

        Assert.Equal(["needle-old"], found["items"]!.AsArray().Select(l => (string)l!["code"]!));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 200", (string?)(await tooLong.ReadJsonAsync())["errors"]!["q"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_changes_the_redirect_at_once()
    {
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/old", code = "moving" })).EnsureSuccessStatusCode();
        Assert.Equal("https://example.com/old", (await _api.GetAsync("/moving")).Headers.Location?.OriginalString);

        var patched = await _api.PatchRawAsync("/api/links/moving", """{"url":"https://example.com/new","tags":["x"]}""");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("https://example.com/new", (string?)(await patched.ReadJsonAsync())["url"]);
        Assert.Equal("https://example.com/new", (await _api.GetAsync("/moving")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Disabled_and_deleted_links_stop_redirecting_and_a_deleted_code_stays_reserved()
    {
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/d", code = "off" })).EnsureSuccessStatusCode();
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/e", code = "bye" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Found, (await _api.GetAsync("/off")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _api.GetAsync("/bye")).StatusCode);

        await _api.PatchRawAsync("/api/links/off", """{"disabled":true}""");
        var deleted = await _api.DeleteAsync("/api/links/bye");

        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/off")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/bye")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/links/bye")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.DeleteAsync("/api/links/bye")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/f", code = "bye" })).StatusCode);
    }

    [Fact]
    public async Task An_expired_link_is_gone()
    {
        // Seconds of margin: on a loaded machine (CI on 2 cores) a creation 1 s ahead was already in the past.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(5);
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/soon", code = "soon", expiresAt })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Found, (await _api.GetAsync("/soon")).StatusCode);

        while (DateTimeOffset.UtcNow < expiresAt.AddMilliseconds(200))
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Gone, (await _api.GetAsync("/soon")).StatusCode);
    }

    [Fact]
    public async Task Unknown_codes_are_answered_from_the_negative_cache()
    {
        var cache = (Links.LinkCache)_service.Services.GetService(typeof(Links.LinkCache))!;
        var before = cache.StoreReads;

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/no-such-code")).StatusCode);
        }

        Assert.Equal(before + 1, cache.StoreReads);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/wp-login.php")).StatusCode);
        Assert.Equal(before + 1, cache.StoreReads);
    }

    [Fact]
    public async Task The_operator_view_counts_cached_links_and_store_reads()
    {
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/seen", code = "seen" })).EnsureSuccessStatusCode();
        using var ops = _service.OpsClient();
        var before = await (await ops.GetAsync("/ops/writer")).ReadJsonAsync();

        await _api.GetAsync("/seen");
        await _api.GetAsync("/seen");
        var after = await (await ops.GetAsync("/ops/writer")).ReadJsonAsync();

        Assert.Equal((long)before["linkStoreReads"]! + 1, (long)after["linkStoreReads"]!);
        Assert.True((int)after["linkCacheCount"]! >= 1);
        Assert.Equal(0, (long)after["linkSharedCacheHits"]!);
    }

    [Fact]
    public async Task Creating_a_code_that_was_negatively_cached_makes_it_redirect_at_once()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/later")).StatusCode);

        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/later", code = "later" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Found, (await _api.GetAsync("/later")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_tenant_api()
    {
        using var client = Clients.For(_service.Address, "localhost");

        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        Assert.NotNull(document["paths"]!["/api/links"]);
        Assert.NotNull(document["paths"]!["/api/links/batch"]);
        Assert.NotNull(document["paths"]!["/api/stats"]);
        Assert.NotNull(document["paths"]!["/api/links/{code}/clicks"]);
    }
}
