using System.CommandLine;
using System.Net;
using System.Text.Json;
using LinkTracker.Runbook;

namespace LinkTracker.Cli;

/// <summary>
/// Calls the operator endpoints (/ops/...) of a running service with its operator token. Verbs that change what the
/// service owns, such as its embedded job queue, go through it rather than through the data folder.
/// </summary>
internal sealed class OpsClient : IDisposable
{
    /// <summary>The environment variable that sets Ops:Token on the service; the CLI reads the same one.</summary>
    public const string TokenVariable = "LINKTRACKER__Ops__Token";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    public OpsClient(Uri address, string? token)
    {
        _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Add(OpsAuthentication.Header, token);
        }
    }

    public static Option<string> Url() => new("--url")
    {
        Description = "The running service's base address (its base domain or 127.0.0.1; /ops is not served on tenant hosts)",
        DefaultValueFactory = _ => "http://localhost:5000",
    };

    /// <summary>The service's data folder, where it wrote its operator token (ops-token) when Ops:Token is not set.</summary>
    public static Option<string?> Data() => new("--data")
    {
        Description = $"The running service's data folder, whose {OpsCredential.FileName} file holds the operator token (default: ./data); {TokenVariable} overrides it",
    };

    /// <summary>
    /// Runs a verb against the service at --url with the operator token ($LINKTRACKER__Ops__Token, else the ops-token
    /// file of --data): unreachable services and refusals become exit code 2 with the reason.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult result, Option<string> url, Option<string?> data, Func<OpsClient, Task<int>> verb)
    {
        if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            return CliErrors.Fail($"--url must be an http(s) address such as http://localhost:5000, not '{result.GetValue(url)}'.");
        }

        var token = Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } configured
            ? configured
            : OpsCredential.ReadFile(result.GetValue(data) ?? "data");
        using var client = new OpsClient(address, token);
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

                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    throw new OpsException(
                        $"{_http.BaseAddress} refused the operator token. Pass --data with the service's data folder (it holds {OpsCredential.FileName}), "
                        + $"or set {TokenVariable} to the service's Ops:Token.");
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
