using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.SignedLinks;

/// <summary>Signed links end to end on one engine: key, sign, click, stats; rotation; other tenant; expiry; bad tokens.</summary>
public abstract class SignedLinksTests : IAsyncLifetime
{
    private TestService _service = null!;
    private HttpClient _acme = null!;
    private HttpClient _beta = null!;

    protected abstract Task<string[]> SettingsAsync();

    public virtual async Task InitializeAsync()
    {
        _service = await TestService.StartAsync(await SettingsAsync());
        _acme = _service.Client("acme", await _service.AddTenantAsync("acme"));
        _beta = _service.Client("beta", await _service.AddTenantAsync("beta"));
    }

    public virtual async Task DisposeAsync()
    {
        _acme.Dispose();
        _beta.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_link_redirects_and_its_clicks_are_counted_without_a_link_row()
    {
        Assert.Equal(HttpStatusCode.Conflict, (await _acme.PostJsonAsync("/api/signed-links", new { url = "https://example.com/a" })).StatusCode);
        var key = await (await _acme.PostJsonAsync("/api/signing-keys", new { })).ReadJsonAsync();
        var signed = await (await _acme.PostJsonAsync("/api/signed-links", new { url = "https://example.com/a?x=1", campaign = "nov" })).ReadJsonAsync();
        Assert.Equal((string)key["id"]!, (string)signed["keyId"]!);
        var path = new Uri((string)signed["shortUrl"]!).AbsolutePath;

        for (var i = 0; i < 3; i++)
        {
            using var response = await _acme.GetAsync($"{path}?r=user-{i}");
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal("https://example.com/a?x=1", response.Headers.Location!.OriginalString);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _beta.GetAsync(path)).StatusCode); // another tenant's host
        await _service.WaitForWriterAsync();
        var stats = await (await _acme.GetAsync("/api/stats")).ReadJsonAsync();
        Assert.Equal(3L, (long)stats["totals"]!["clicks"]!);
        Assert.Equal(3L, (long)stats["totals"]!["uniqueRecipients"]!);
        Assert.Empty((await (await _acme.GetAsync("/api/links")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task An_old_key_verifies_until_deleted_and_expired_or_tampered_links_do_not_redirect()
    {
        var old = (string)(await (await _acme.PostJsonAsync("/api/signing-keys", new { })).ReadJsonAsync())["id"]!;
        var before = await SignAsync(new { url = "https://example.com/old" });
        var expiring = await SignAsync(new { url = "https://example.com/soon", expiresAt = DateTimeOffset.UtcNow.AddSeconds(2) });
        var fresh = (string)(await (await _acme.PostJsonAsync("/api/signing-keys", new { })).ReadJsonAsync())["id"]!;
        var after = await SignAsync(new { url = "https://example.com/new" });

        var keys = (await (await _acme.GetAsync("/api/signing-keys")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal([(old, false), (fresh, true)], keys.Select(k => ((string)k!["id"]!, (bool)k["active"]!)));
        Assert.DoesNotContain("secret", keys.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync(before)).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync(after)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync(after[..^3] + (after[^3] == 'A' ? "B" : "A") + after[^2..])).StatusCode);
        Assert.NotEqual(HttpStatusCode.Found, (await _acme.GetAsync("/s/not.a.token")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _acme.DeleteAsync($"/api/signing-keys/{old}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.DeleteAsync($"/api/signing-keys/{old}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync(before)).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync(after)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync(expiring)).StatusCode); // signed with the deleted key
    }

    [Fact]
    public async Task Expired_signed_links_answer_410_and_bad_requests_are_problems()
    {
        await _acme.PostJsonAsync("/api/signing-keys", new { });
        var link = await SignAsync(new { url = "https://example.com/soon", expiresAt = DateTimeOffset.UtcNow.AddSeconds(2) });
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync(link)).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await _acme.GetAsync(link)).StatusCode == HttpStatusCode.Found && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.Equal(HttpStatusCode.Gone, (await _acme.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _acme.PostJsonAsync("/api/signed-links", new { url = "javascript:alert(1)" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _acme.PostJsonAsync("/api/signed-links", new { url = "https://example.com/" + new string('a', 2100) })).StatusCode);
        var batch = await (await _acme.PostJsonAsync("/api/signed-links/batch", new { links = Enumerable.Range(0, 1000).Select(i => new { url = $"https://example.com/{i}" }) })).ReadJsonAsync();
        Assert.Equal(1000, batch["links"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await _acme.PostJsonAsync("/api/signed-links/batch", new { links = Enumerable.Range(0, 1001).Select(i => new { url = $"https://example.com/{i}" }) })).StatusCode);
    }

    private async Task<string> SignAsync(object request)
    {
        using var response = await _acme.PostJsonAsync("/api/signed-links", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Uri((string)(await response.ReadJsonAsync())["shortUrl"]!).PathAndQuery;
    }
}

public sealed class SqliteSignedLinksTests : SignedLinksTests
{
    protected override Task<string[]> SettingsAsync() => Task.FromResult<string[]>([]);
}

public sealed class PostgresSignedLinksTests : SignedLinksTests
{
    private PostgresTestDatabase _database = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override async Task<string[]> SettingsAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return _database.ServiceSettings();
    }
}
