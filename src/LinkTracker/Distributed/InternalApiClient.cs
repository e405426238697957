using System.Net.Http.Headers;
using LinkTracker.Core.Links;
using LinkTracker.Core.Tenants;
using LinkTracker.Links;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Distributed;

/// <summary>
/// An edge node's view of the data it needs, asked of the api nodes: tenants and links. Tries the api nodes in turn
/// (starting at a different one each call) until one answers, so one api node down costs a retry, not a failure.
/// </summary>
public sealed class InternalApiClient(HttpClient http, IOptions<InternalOptions> options) : ITenantSource, ILinkLookup
{
    private readonly IReadOnlyList<Uri> _apis = options.Value.ApiUris();
    private readonly AuthenticationHeaderValue _token = new("Bearer", options.Value.Token);
    private int _next;

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<Tenant>>("internal/tenants", cancellationToken);

    public Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken) =>
        GetAsync<SharedLink>($"internal/links/{Uri.EscapeDataString(tenant)}/{Uri.EscapeDataString(code)}", cancellationToken);

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        var first = (int)((uint)Interlocked.Increment(ref _next) % (uint)_apis.Count);
        List<Exception>? failures = null;
        for (var i = 0; i < _apis.Count; i++)
        {
            var api = _apis[(first + i) % _apis.Count];
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api, path));
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
