using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>Bad input gets a 4xx problem a person can act on, and nothing is written.</summary>
public sealed class BadInputTests : IAsyncLifetime
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

    private async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mention)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mention, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var links = await (await _api.GetAsync("/api/links")).ReadJsonAsync();
        Assert.Single(links["items"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"url\":", "JSON")]
    [InlineData("not json", "JSON")]
    [InlineData("{\"url\": 42}", "JSON")]
    [InlineData("", "body")]
    public async Task Malformed_json_is_a_400(string body, string mention) =>
        await AssertProblemAsync(await _api.PostRawAsync("/api/links", body), HttpStatusCode.BadRequest, mention);

    [Theory]
    [InlineData("javascript:alert(1)", "javascript")]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=", "data")]
    [InlineData("/relative", "absolute")]
    [InlineData("https://example.com/\u0007", "control")]
    public async Task Unsafe_destinations_are_refused_with_the_reason(string url, string mention) =>
        await AssertProblemAsync(await _api.PostJsonAsync("/api/links", new { url }), HttpStatusCode.BadRequest, mention);

    [Fact]
    public async Task A_destination_over_2048_characters_is_refused() =>
        await AssertProblemAsync(
            await _api.PostJsonAsync("/api/links", new { url = "https://example.com/" + new string('a', 2100) }), HttpStatusCode.BadRequest, "2048");

    [Fact]
    public async Task An_oversized_body_is_a_413()
    {
        // Expect: 100-continue lets the server refuse before the client uploads 5 MB into a closed connection.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/links/batch")
        {
            Content = new StringContent("{\"links\":[\"" + new string('a', 5 * 1024 * 1024) + "\"]}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;

        await AssertProblemAsync(await _api.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "too large");
    }

    [Fact]
    public async Task A_bad_code_is_refused() =>
        await AssertProblemAsync(await _api.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "no/slash" }), HttpStatusCode.BadRequest, "code");

    [Theory]
    [InlineData("/api/links?cursor=%%%", "cursor")]
    [InlineData("/api/links?cursor=bm9wZQ", "cursor")]
    [InlineData("/api/links?limit=0", "limit")]
    [InlineData("/api/links?limit=5000", "limit")]
    [InlineData("/api/links?limit=ten", "limit")]
    [InlineData("/api/stats?from=yesterday", "from")]
    [InlineData("/api/stats?granularity=minute", "granularity")]
    [InlineData("/api/stats?from=2026-02-01&to=2026-01-01", "before")]
    [InlineData("/api/links/known/stats?to=not-a-date", "to")]
    [InlineData("/api/links/known/clicks?cursor=zz", "cursor")]
    [InlineData("/api/links/known/clicks?from=2026-99-01", "from")]
    public async Task Bad_query_parameters_are_a_400_naming_the_parameter(string path, string mention) =>
        await AssertProblemAsync(await _api.GetAsync(path), HttpStatusCode.BadRequest, mention);

    [Fact]
    public async Task A_patch_with_an_unknown_property_changes_nothing()
    {
        var response = await _api.PatchRawAsync("/api/links/known", """{"url":"https://example.org/","colour":"red"}""");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "colour");
        var link = await (await _api.GetAsync("/api/links/known")).ReadJsonAsync();
        Assert.Equal("https://example.com/", (string?)link["url"]);
    }

    [Fact]
    public async Task A_redirect_with_a_bad_recipient_still_redirects()
    {
        var response = await _api.GetAsync("/known?r=" + new string('x', 500));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }
}
