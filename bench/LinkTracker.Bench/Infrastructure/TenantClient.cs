using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>The tenant API on the tenant's host, with its key.</summary>
public sealed class TenantClient : IDisposable
{
    public const int MaxBatch = 1000;
    private readonly HttpClient _http;

    public TenantClient(Uri address, string slug, string apiKey)
    {
        Slug = slug;
        Host = $"{slug}.localhost:{address.Port}";
        _http = new HttpClient(new HostHeaderHandler(Host)) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public string Slug { get; }

    /// <summary>The tenant's host with the port, for the Host header.</summary>
    public string Host { get; }

    /// <summary>Creates the links through the batch API, 1,000 per call.</summary>
    public async Task CreateLinksAsync(IReadOnlyList<NewLink> links, CancellationToken cancellationToken)
    {
        for (var start = 0; start < links.Count; start += MaxBatch)
        {
            var chunk = links.Skip(start).Take(MaxBatch).ToArray();
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/api/links/batch")
            {
                Content = JsonContent.Create(new { links = chunk }, options: Json.Options),
            }, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException(
                    $"creating links on {Slug} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    /// <summary>GET and fail on anything but 200; returns the body.</summary>
    public async Task<string> GetStringAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? body : throw new InvalidOperationException($"GET {path} on {Slug}: {(int)response.StatusCode} {body}");
    }

    public async Task<StatsResult> GetStatsAsync(string path, CancellationToken cancellationToken) =>
        System.Text.Json.JsonSerializer.Deserialize<StatsResult>(await GetStringAsync(path, cancellationToken), Json.Options)
        ?? throw new InvalidOperationException("empty stats");

    /// <summary>The tenant's totals over the last year (by day), which holds every click a bench run makes.</summary>
    public Task<StatsResult> GetTotalsAsync(CancellationToken cancellationToken, string? campaign = null)
    {
        var now = DateTimeOffset.UtcNow;
        var path = string.Create(
            CultureInfo.InvariantCulture,
            $"/api/stats?from={now.AddDays(-365):yyyy-MM-dd}&to={now.AddDays(1):yyyy-MM-dd}&granularity=day");
        return GetStatsAsync(campaign is null ? path : $"{path}&campaign={Uri.EscapeDataString(campaign)}", cancellationToken);
    }

    /// <summary>Every stored click of a link, paging 1,000 at a time.</summary>
    public async Task<List<ClickItem>> ListClicksAsync(string code, CancellationToken cancellationToken)
    {
        var clicks = new List<ClickItem>();
        string? cursor = null;
        do
        {
            var path = $"/api/links/{code}/clicks?limit={MaxBatch}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = System.Text.Json.JsonSerializer.Deserialize<ClickPage>(await GetStringAsync(path, cancellationToken), Json.Options)
                ?? throw new InvalidOperationException("empty click page");
            clicks.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        return clicks;
    }

    /// <summary>POST a JSON body as written; the status and the body, whatever the status.</summary>
    public async Task<(HttpStatusCode Status, string Body, Uri? Location)> PostRawAsync(string path, string json, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        }, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), response.Headers.Location);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends, and on 429 waits the Retry-After and tries again (a few times), in case the rate limit is on.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            var response = await _http.SendAsync(message, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 10)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }
}
