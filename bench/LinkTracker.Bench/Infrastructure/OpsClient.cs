using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>The operator endpoint /ops/writer on the base host (127.0.0.1:port), with the operator token.</summary>
public sealed class OpsClient(Uri address) : IDisposable
{
    /// <summary>One operator token for the whole run, given to every linktracker the bench starts (see <see cref="ShareToken"/>).</summary>
    private static readonly string Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { { "X-Ops-Token", Token } } };

    /// <summary>
    /// Before anything starts, sets LINKTRACKER__Ops__Token in the bench's environment, which every linktracker process
    /// it starts inherits: the servers need no setting of their own and this client knows their token.
    /// </summary>
    [ModuleInitializer]
    internal static void ShareToken() => Environment.SetEnvironmentVariable("LINKTRACKER__Ops__Token", Token);

    public async Task<WriterStatus> GetWriterAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<WriterStatus>("/ops/writer", Json.Options, cancellationToken)
        ?? throw new InvalidOperationException("empty /ops/writer");

    /// <summary>
    /// Waits until the service has journaled at least <paramref name="captured"/> clicks (or counted them as
    /// capture failures) and the journal is empty (or, with <paramref name="tenant"/>, that tenant's part of it).
    /// </summary>
    /// <returns>The last status and whether it drained before the timeout.</returns>
    public async Task<(WriterStatus Status, bool Drained)> WaitForDrainAsync(long captured, TimeSpan timeout, CancellationToken cancellationToken, string? tenant = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await GetWriterAsync(cancellationToken);
            var waiting = tenant is null ? status.JournalDepth : status.PendingByTenant.GetValueOrDefault(tenant);
            if (status.Captured + status.CaptureFailures >= captured && waiting == 0)
            {
                return (status, true);
            }

            if (DateTime.UtcNow > deadline)
            {
                return (status, false);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();
}
