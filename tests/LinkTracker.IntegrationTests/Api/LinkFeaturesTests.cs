using System.Net;
using System.Net.Http.Json;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Links;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>UTM, QR codes, custom not-found/gone pages, redirect rules and visit limits over HTTP; one subclass per engine.</summary>
public abstract class LinkFeaturesTests : IAsyncLifetime
{
    private HttpClient _api = null!;

    protected TestService Service { get; private set; } = null!;

    protected HttpClient Api => _api;

    protected abstract Task<string[]> SettingsAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Service = await TestService.StartAsync(await SettingsAsync());
        _api = Service.Client("acme", await Service.AddTenantAsync("acme"));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await Service.DisposeAsync();
        await CleanUpAsync();
    }

    [Fact]
    public async Task Utm_builds_the_destination_is_returned_and_a_patch_changes_one_field()
    {
        var created = await Api.PostJsonAsync("/api/links", new
        {
            url = "https://example.com/p?a=1&utm_source=old#top",
            code = "utm1",
            utm = new { source = "news letter", medium = "email", campaign = "été" },
        });
        var link = await created.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("https://example.com/p?a=1&utm_source=news%20letter&utm_medium=email&utm_campaign=%C3%A9t%C3%A9#top", (string?)link["url"]);
        Assert.Equal("été", (string?)link["utm"]!["campaign"]);

        var patched = await Api.PatchRawAsync("/api/links/utm1", """{"utm":{"medium":"sms"}}""");
        var after = await patched.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("https://example.com/p?a=1&utm_source=news%20letter&utm_medium=sms&utm_campaign=%C3%A9t%C3%A9#top", (string?)after["url"]);
        Assert.Equal("news letter", (string?)after["utm"]!["source"]);
        var redirect = await Api.GetAsync("/utm1");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal((string?)after["url"], redirect.Headers.Location?.OriginalString);
        Assert.Equal("sms", (string?)(await (await Api.GetAsync("/api/links/utm1")).ReadJsonAsync())["utm"]!["medium"]);
    }

    [Fact]
    public async Task Bad_utm_values_are_a_problem_keyed_by_path_also_in_a_batch()
    {
        var single = await Api.PostJsonAsync("/api/links", new { url = "https://example.com/", utm = new { source = new string('x', 201) } });
        var batch = await Api.PostJsonAsync("/api/links/batch", new
        {
            links = new object[] { new { url = "https://example.com/" }, new { url = "https://example.com/", utm = new { term = "a\u0001" } } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.NotNull((await single.ReadJsonAsync())["errors"]!["utm.source"]);
        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
        Assert.NotNull((await batch.ReadJsonAsync())["errors"]!["links[1].utm.term"]);
    }

    [Fact]
    public async Task A_qr_code_encodes_the_short_url_on_the_tenants_host()
    {
        (await Api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "qr1" })).EnsureSuccessStatusCode();

        var png = await Api.GetAsync("/api/links/qr1/qr?format=png&size=300");
        var svg = await Api.GetAsync("/api/links/qr1/qr");

        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        var expected = LinkQrCodes.Render($"http://acme.localhost:{Service.Address.Port}/qr1", "png", 300).Content;
        Assert.Equal(expected, await png.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_qr_code_of_an_unknown_code_is_404_and_a_bad_size_or_format_400()
    {
        (await Api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "qr2" })).EnsureSuccessStatusCode();

        var unknown = await Api.GetAsync("/api/links/nope/qr");
        var size = await Api.GetAsync("/api/links/qr2/qr?size=5000");
        var format = await Api.GetAsync("/api/links/qr2/qr?format=jpeg");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, size.StatusCode);
        Assert.Contains("64 to 2048", (string?)(await size.ReadJsonAsync())["errors"]!["size"]![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        Assert.Contains("svg", (string?)(await format.ReadJsonAsync())["errors"]!["format"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_codes_and_gone_links_go_to_the_tenants_pages_without_recording_a_click()
    {
        var put = await Api.PutAsJsonAsync("/api/settings", new { notFoundUrl = "https://example.com/404?from=lt", goneUrl = "https://example.com/gone" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("https://example.com/gone", (string?)(await (await Api.GetAsync("/api/settings")).ReadJsonAsync())["goneUrl"]);
        (await Api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "off", disabled = true })).EnsureSuccessStatusCode();

        var unknown = await Api.GetAsync("/nosuchcode");
        var disabled = await Api.GetAsync("/off");

        Assert.Equal(HttpStatusCode.Found, unknown.StatusCode);
        Assert.Equal("https://example.com/404?from=lt", unknown.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Found, disabled.StatusCode);
        Assert.Equal("https://example.com/gone", disabled.Headers.Location?.OriginalString);
        Assert.Equal(0, Service.Metrics.Captured);

        (await Api.PutAsJsonAsync("/api/settings", new { })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/nosuchcode2")).StatusCode);
    }

    [Fact]
    public async Task Max_visits_redirects_that_many_times_then_the_link_is_gone_and_a_patch_moves_the_limit()
    {
        var created = await Api.PostJsonAsync("/api/links", new { url = "https://example.com/coupon", code = "coupon", maxVisits = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, (long?)(await created.ReadJsonAsync())["maxVisits"]);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await Api.GetAsync("/coupon")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Found, HttpStatusCode.Found, HttpStatusCode.Gone], statuses);
        Assert.Equal(HttpStatusCode.OK, (await Api.PatchRawAsync("/api/links/coupon", """{"maxVisits":3}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await Api.GetAsync("/coupon")).StatusCode);
        (await Api.PutAsJsonAsync("/api/settings", new { goneUrl = "https://example.com/sold-out" })).EnsureSuccessStatusCode();
        var gone = await Api.GetAsync("/coupon");
        Assert.Equal((HttpStatusCode.Found, "https://example.com/sold-out"), (gone.StatusCode, gone.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.OK, (await Api.PatchRawAsync("/api/links/coupon", """{"maxVisits":null}""")).StatusCode);
        Assert.Equal("https://example.com/coupon", (await Api.GetAsync("/coupon")).Headers.Location?.OriginalString);

        await Service.WaitForWriterAsync();
        Assert.Equal(4, Service.Metrics.Captured); // only the redirects are recorded
    }

    [Fact]
    public async Task A_bad_max_visits_is_refused_by_path()
    {
        var created = await Api.PostJsonAsync("/api/links/batch", new { links = new object[] { new { url = "https://example.com/", maxVisits = 0 } } });
        var patched = await Api.PatchRawAsync("/api/links/nope", """{"maxVisits":1}""");
        (await Api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "lim" })).EnsureSuccessStatusCode();
        var wrongType = await Api.PatchRawAsync("/api/links/lim", """{"maxVisits":"ten"}""");

        Assert.True(created.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, created.StatusCode.ToString());
        Assert.Contains("1 to 1000000000", (string?)(await created.ReadJsonAsync())["errors"]!["links[0].maxVisits"]![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, patched.StatusCode);
        Assert.Contains("whole number", (string?)(await wrongType.ReadJsonAsync())["errors"]!["maxVisits"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_rules_send_a_click_to_the_first_matching_destination_and_others_to_the_link()
    {
        var created = await Api.PostJsonAsync("/api/links", new
        {
            url = "https://example.com/default",
            code = "ruled",
            rules = new object[]
            {
                new { when = new { country = new[] { "DE" } }, url = "https://example.com/de" }, // no geo database here: never matches
                new { when = new { os = new[] { "ios" } }, url = "https://example.com/app-store" },
                new { when = new { device = new[] { "mobile", "tablet" } }, url = "https://example.com/mobile" },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Equal("https://example.com/app-store", await LocationAsync("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"));
        Assert.Equal("https://example.com/mobile", await LocationAsync("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36"));
        Assert.Equal("https://example.com/default", await LocationAsync("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"));

        var patched = await Api.PatchRawAsync("/api/links/ruled", """{"rules":null}""");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("https://example.com/default", await LocationAsync("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"));
    }

    [Fact]
    public async Task Bad_redirect_rules_are_refused_by_path()
    {
        var created = await Api.PostJsonAsync("/api/links", new
        {
            url = "https://example.com/",
            rules = new object[]
            {
                new { when = new { country = new[] { "Germany" } }, url = "https://example.com/de" },
                new { when = new { device = new[] { "phone" }, os = new[] { "iOS" } }, url = "javascript:alert(1)" },
            },
        });
        var errors = (await created.ReadJsonAsync())["errors"]!;

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("ISO", (string?)errors["rules[0].when"]![0], StringComparison.Ordinal);
        Assert.Contains("exactly one", (string?)errors["rules[1].when"]![0], StringComparison.Ordinal);
        Assert.NotNull(errors["rules[1].url"]);
    }

    private async Task<string?> LocationAsync(string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ruled");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location?.OriginalString;
    }

    [Fact]
    public async Task A_bad_not_found_or_gone_address_is_refused_by_field()
    {
        var put = await Api.PutAsJsonAsync("/api/settings", new { notFoundUrl = "javascript:alert(1)", goneUrl = "/relative" });
        var errors = (await put.ReadJsonAsync())["errors"]!;

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("notFoundUrl", (string?)errors["notFoundUrl"]![0], StringComparison.Ordinal);
        Assert.NotNull(errors["goneUrl"]);
    }
}
