using System.Net.Http.Headers;
using LinkTracker.Core.Legacy;
using LinkTracker.Core.Links;
using LinkTracker.Core.Tenants;
using LinkTracker.Legacy;
using LinkTracker.Links;
using LinkTracker.SignedLinks;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Distributed;

/// <summary>
/// An edge node's view of the data it needs, asked of the api nodes: tenants, links and legacy settings; and where it learns links. Tries the api nodes in turn
/// (starting at a different one each call) until one answers, so one api node down costs a retry, not a failure.
/// </summary>
public sealed class InternalApiClient(HttpClient http, IOptions<InternalOptions> options) : ITenantSource, ILinkLookup, ILegacySource, ISigningKeySource
{
    private readonly IReadOnlyList<Uri> _apis = options.Value.ApiUris();
    private readonly AuthenticationHeaderValue _token = new("Bearer", options.Value.Token);
    private int _next;

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<Tenant>>("internal/tenants", cancellationToken);

    public async Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<SigningKey>>("internal/signing-keys", cancellationToken);

    public Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken) =>
        GetAsync<SharedLink>($"internal/links/{Uri.EscapeDataString(tenant)}/{Uri.EscapeDataString(code)}", cancellationToken);

    public Task<LegacySourceResponse> FindSettingsAsync(string tenant, CancellationToken cancellationToken) =>
        GetAsync<LegacySourceResponse>($"internal/legacy/{Uri.EscapeDataString(tenant)}", cancellationToken);

    public async Task<bool> LearnAsync(string tenant, LearnedLink link, CancellationToken cancellationToken) =>
        (await SendAsync<LearnResponse>($"internal/legacy/{Uri.EscapeDataString(tenant)}/links", JsonContent.Create(link), cancellationToken)).Added;

    private Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(path, null, cancellationToken);

    /// <summary>A GET, or a POST of <paramref name="body"/> (safe to send to the next api node: learning a link twice adds it once).</summary>
    private async Task<T> SendAsync<T>(string path, HttpContent? body, CancellationToken cancellationToken)
    {
        var first = (int)((uint)Interlocked.Increment(ref _next) % (uint)_apis.Count);
        List<Exception>? failures = null;
        for (var i = 0; i < _apis.Count; i++)
        {
            var api = _apis[(first + i) % _apis.Count];
            try
            {
                using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri(api, path)) { Content = body };
                request.Headers.Authorization = _token;
                using var response = await http.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                    ?? throw new InvalidDataException($"{api} answered {path} with an empty body.");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidDataException && !cancellationToken.IsCancellationRequested)
            {
                (failures ??= []).Add(new HttpRequestException($"{api}{path}: {ex.Message}", ex));
            }
        }

        throw new AggregateException($"No api node answered {path} ({string.Join(", ", _apis)}).", failures!);
    }
}
