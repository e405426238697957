using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>A paging cursor works only on the listing that gave it: not changed by hand, not on another tenant or link.</summary>
public sealed class CursorTests : IAsyncLifetime
{
    private TestService _service = null!;
    private HttpClient _acme = null!;
    private HttpClient _beta = null!;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync();
        _acme = _service.Client("acme", await _service.AddTenantAsync("acme"));
        _beta = _service.Client("beta", await _service.AddTenantAsync("beta"));
        foreach (var client in new[] { _acme, _beta })
        {
            var links = Enumerable.Range(0, 5).Select(i => new { url = $"https://example.com/{i}", code = $"l{i}" });
            (await client.PostJsonAsync("/api/links/batch", new { links })).EnsureSuccessStatusCode();
        }

        foreach (var code in new[] { "l0", "l1" })
        {
            Assert.Equal(6, await Clicker.ClickAsync(_acme, 6, i => $"/{code}?r=c-{i}"));
        }

        await _service.WaitForWriterAsync();
    }

    public async Task DisposeAsync()
    {
        _acme.Dispose();
        _beta.Dispose();
        await _service.DisposeAsync();
    }

    private static async Task<string> NextAsync(HttpClient client, string path) =>
        (string)(await (await client.GetAsync(path)).ReadJsonAsync())["next"]!;

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }

    [Fact]
    public async Task A_cursor_pages_its_own_listing_and_is_refused_anywhere_else()
    {
        var links = await NextAsync(_acme, "/api/links?limit=2");
        var clicks = await NextAsync(_acme, "/api/links/l0/clicks?limit=2");

        Assert.Equal(HttpStatusCode.OK, (await _acme.GetAsync($"/api/links?limit=2&cursor={links}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _acme.GetAsync($"/api/links/l0/clicks?limit=2&cursor={clicks}")).StatusCode);
        Assert.False(long.TryParse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(links))), out _), "the cursor is a plain row id");
        Assert.Equal(HttpStatusCode.BadRequest, (await _beta.GetAsync($"/api/links?limit=2&cursor={links}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _acme.GetAsync($"/api/links/l1/clicks?limit=2&cursor={clicks}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _acme.GetAsync($"/api/links?limit=2&cursor={clicks}")).StatusCode);
        var tampered = links[..^2] + (links[^2] == 'A' ? 'B' : 'A') + links[^1];
        Assert.Equal(HttpStatusCode.BadRequest, (await _acme.GetAsync($"/api/links?limit=2&cursor={tampered}")).StatusCode);
    }
}
