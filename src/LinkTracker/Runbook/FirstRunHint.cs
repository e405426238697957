using LinkTracker.Tenants;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook;

/// <summary>
/// Tells whoever starts the service where it listens, where the operator token is and, on an empty data folder, what
/// to do next. Taking the <see cref="OpsCredential"/> here creates the token file at start, not at the first /ops call.
/// </summary>
internal sealed class FirstRunHint(
    IHostApplicationLifetime lifetime, IServer server, TenantDirectory tenants, IOptions<TenantOptions> options,
    IOptions<Storage.StorageOptions> storage, OpsCredential ops) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault() ?? "http://localhost:5000";
        var port = new Uri(address.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal)).Port;
        var data = Path.GetFullPath(storage.Value.DataDirectory);
        Console.WriteLine($"LinkTracker is listening on {string.Join(", ", addresses)} with data in {data}");
        Console.WriteLine(ops.FilePath is { } token
            ? $"Operator endpoints (/ops, /metrics) need the token in {token} (X-Ops-Token header); 'linktracker jobs --data {data}' reads it."
            : "Operator endpoints (/ops, /metrics) need Ops:Token (X-Ops-Token header).");
        if (tenants.Count == 0)
        {
            Console.WriteLine($"""

                No tenants yet. In another terminal, add one (it prints the tenant's API key once):
                    linktracker tenants add acme --data {data}
                  or, from the source tree:
                    dotnet run --project src/LinkTracker -- tenants add acme --data {data}
                Then call the API on the tenant's host, e.g.
                    curl -H 'Authorization: Bearer <key>' http://acme.{options.Value.BaseDomain}:{port}/api/links
                """);
        }
    }
}
