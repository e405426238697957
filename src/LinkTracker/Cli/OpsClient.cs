using System.CommandLine;
using System.Net;
using System.Text.Json;

namespace LinkTracker.Cli;

/// <summary>
/// Calls the operator endpoints (/ops/...) of a running service. Verbs that change what the service owns, such as its
/// embedded job queue, go through it rather than through the data folder.
/// </summary>
internal sealed class OpsClient(Uri address) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    public static Option<string> Url() => new("--url")
    {
        Description = "The running service's base address (its base domain or 127.0.0.1; /ops is not served on tenant hosts)",
        DefaultValueFactory = _ => "http://localhost:5000",
    };

    /// <summary>Runs a verb against the service at --url: unreachable services and refusals become exit code 2 with the reason.</summary>
    public static async Task<int> RunAsync(ParseResult result, Option<string> url, Func<OpsClient, Task<int>> verb)
    {
        if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            return CliErrors.Fail($"--url must be an http(s) address such as http://localhost:5000, not '{result.GetValue(url)}'.");
        }

        using var client = new OpsClient(address);
        try
        {
            return await verb(client);
        }
        catch (OpsException ex)
        {
            return CliErrors.Fail(ex.Message);
        }
    }

    public Task<string> GetRawAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        Read<T>(await GetRawAsync(path, cancellationToken));

    public async Task<T> PostAsync<T>(string path, CancellationToken cancellationToken) =>
        Read<T>(await SendAsync(new HttpRequestMessage(HttpMethod.Post, path), cancellationToken));

    public async Task<T> DeleteAsync<T>(string path, CancellationToken cancellationToken) =>
        Read<T>(await SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken));

    public void Dispose() => _http.Dispose();

    private static T Read<T>(string body) =>
        JsonSerializer.Deserialize<T>(body, Json) ?? throw new OpsException("The service sent an empty answer.");

    private async Task<string> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new OpsException($"No LinkTracker answers at {_http.BaseAddress} ({ex.Message}). Start it with 'linktracker serve', or pass --url with its address.");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new OpsException($"LinkTracker at {_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s. Check the service (its /health/ready) and --url.");
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }

                throw new OpsException(Problem(body) ?? (response.StatusCode == HttpStatusCode.NotFound
                    ? $"{_http.BaseAddress} does not serve {request.RequestUri}. The operator endpoints answer only on the service's base domain or 127.0.0.1: pass that as --url."
                    : $"The service answered {(int)response.StatusCode} {response.ReasonPhrase}."));
            }
        }
    }

    private static string? Problem(string body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, Json);
            return problem?.Errors.Count > 0 ? string.Join(" ", problem.Errors.SelectMany(e => e.Value)) : problem?.Detail;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class OpsException(string message) : Exception(message);
}
