using System.Net;
using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Links;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>Hostile input at the edges: non-ASCII and invisible destinations, calendar edges, long request lines, binding errors.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private TestService _service = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync();
        _api = _service.Client("acme", await _service.AddTenantAsync("acme"));
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "known" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task A_non_ascii_destination_is_stored_as_ascii_and_redirects()
    {
        var response = await _api.PostJsonAsync("/api/links", new { url = "https://bücher.example/straße?q=café#über", code = "idn" });
        var link = await response.ReadJsonAsync();
        var redirect = await _api.GetAsync("/idn?r=alice");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("https://xn--bcher-kva.example/stra%C3%9Fe?q=caf%C3%A9#%C3%BCber", (string?)link["url"]);
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("https://xn--bcher-kva.example/stra%C3%9Fe?q=caf%C3%A9#%C3%BCber", redirect.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("https://example.com/a\u2028b", "U+2028")]
    [InlineData("https://example.com/a\u0085b", "U+0085")]
    [InlineData("https://exa\u200Bmple.com/", "U+200B")]
    [InlineData("https://example.com/\u200Eb", "U+200E")]
    public async Task Control_and_invisible_characters_are_refused_naming_the_field(string url, string codePoint)
    {
        var single = await _api.PostJsonAsync("/api/links", new { url });
        var batch = await _api.PostJsonAsync("/api/links/batch", new { links = new object[] { new { url = "https://example.com/ok" }, new { url } } });
        var patch = await _api.PatchAsync("/api/links/known", System.Net.Http.Json.JsonContent.Create(new { url }));

        await AssertRefusedAsync(single, "url", codePoint);
        await AssertRefusedAsync(batch, "links[1].url", codePoint);
        await AssertRefusedAsync(patch, "url", codePoint);
        var links = await (await _api.GetAsync("/api/links")).ReadJsonAsync();
        Assert.Equal(["https://example.com/"], links["items"]!.AsArray().Select(l => (string)l!["url"]!));
    }

    [Fact]
    public async Task A_patched_international_destination_is_stored_as_ascii()
    {
        var response = await _api.PatchRawAsync("/api/links/known", """{"url":"https://例え.jp/パス"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9", (string?)(await response.ReadJsonAsync())["url"]);
    }

    [Fact]
    public async Task A_link_stored_with_a_raw_destination_is_encoded_at_redirect_or_refused_without_a_5xx()
    {
        // As an import or an older version would have stored them: unvalidated.
        var links = _service.Services.GetRequiredService<LinkService>();
        var now = DateTimeOffset.UtcNow;
        foreach (var (code, destination) in new[] { ("raw-idn", "https://bücher.example/é"), ("raw-bad", "https://example.com/a\u2028b") })
        {
            (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/", code })).EnsureSuccessStatusCode();
            Assert.True(await links.UpdateAsync("acme", new Link(code, destination, [], null, null, false, now, now), CancellationToken.None));
        }

        var encoded = await _api.GetAsync("/raw-idn");
        var refused = await _api.GetAsync("/raw-bad");
        await _service.WaitForWriterAsync();
        var clicks = await (await _api.GetAsync("/api/links/raw-bad/clicks")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Found, encoded.StatusCode);
        Assert.Equal("https://xn--bcher-kva.example/%C3%A9", encoded.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("not valid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(clicks["items"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/stats?to=9999-12-31T23:00:00Z", "to")]
    [InlineData("/api/stats?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z&granularity=hour", "to")]
    [InlineData("/api/stats?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z&granularity=hour", "from")]
    [InlineData("/api/links/known/stats?to=9999-12-31T23:59:59Z", "to")]
    [InlineData("/api/links/known/clicks?to=9999-12-31T23:59:59Z", "to")]
    public async Task Calendar_edges_are_a_400_saying_what_to_change(string path, string field)
    {
        var response = await _api.GetAsync(path);
        var problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("earlier|narrow", (string?)problem["errors"]![field]![0]);
    }

    [Fact]
    public async Task Reports_at_the_last_day_of_the_calendar_do_not_overflow()
    {
        var response = await _api.GetAsync("/api/reports/status?from=9999-12-31&to=9999-12-31");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_recipient_in_a_16_kb_request_line_is_dropped_and_the_click_flagged()
    {
        var response = await _api.GetAsync("/known?r=" + new string('x', 15 * 1024));
        await _service.WaitForWriterAsync();
        var click = (await (await _api.GetAsync("/api/links/known/clicks")).ReadJsonAsync())["items"]!.AsArray().Single()!;

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Null((string?)click["recipient"]);
        Assert.Contains("invalidrecipient", click["flags"]!.AsArray().Select(f => (string)f!));
    }

    [Theory]
    [InlineData("POST", "/api/links", "", "empty")]
    [InlineData("POST", "/api/links", "[]", "$")]
    [InlineData("POST", "/api/links", """{"url": 42}""", "$.url")]
    [InlineData("POST", "/api/links", """{"url": "https://example.com/", "tags": "a"}""", "$.tags")]
    [InlineData("POST", "/api/links", """{"url": "https://example.com/", "expiresAt": "soon"}""", "$.expiresAt")]
    [InlineData("POST", "/api/links/batch", """{"links": [{"url": []}]}""", "$.links[0].url")]
    [InlineData("PATCH", "/api/links/known", "", "empty")]
    [InlineData("PUT", "/api/settings", """{"rotateWebhookSecret": "yes"}""", "$.rotateWebhookSecret")]
    [InlineData("GET", "/api/links?limit=ten", null, "limit must be a whole number")]
    [InlineData("GET", "/api/reports/status?from=2026-01-01&to=2026-01-02&since=later", null, "since must be an ISO 8601 time")]
    public async Task Binding_errors_say_what_to_send_without_naming_internal_types(string method, string path, string? body, string mention)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await _api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(text.Contains(mention, StringComparison.Ordinal), text);
        Assert.DoesNotMatch(@"LinkTracker\.|System\.|JsonElement|Service|Did you mean|\bint\?|Nullable|DateTimeOffset", text);
    }

    [Fact]
    public async Task A_body_error_describes_the_body_expected()
    {
        var text = await (await _api.PostRawAsync("/api/links", "[]")).Content.ReadAsStringAsync();

        Assert.True(text.Contains("a JSON object with the properties url (string), code (string), tags (array)", StringComparison.Ordinal), text);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string codePoint)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Contains(codePoint, (string?)problem["errors"]![field]![0], StringComparison.Ordinal);
    }
}
