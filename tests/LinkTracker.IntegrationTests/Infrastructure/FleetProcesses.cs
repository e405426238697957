using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>
/// The LinkTracker processes of one test's distributed deployment: `serve --role edge|api|worker` on free ports, each
/// with a data folder of its own. Disposing closes the clients it tracks, stops the processes (newest first), then
/// removes their folders.
/// </summary>
public sealed class FleetProcesses : IDisposable
{
    private readonly List<IDisposable> _clients = [];
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<TempFolder> _folders = [];

    /// <summary>A fresh Internal:Token for this fleet's edges and api nodes.</summary>
    public string Token { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Adds a tenant the way an operator does, with the CLI and the database owner's login; returns its API key.</summary>
    public static async Task<string> AddTenantAsync(PostgresTestDatabase database, string tenant = "acme")
    {
        using var data = new TempFolder();
        var added = await LinkTrackerCommand.RunAsync(database.OwnerEnvironment, "tenants", "add", tenant, "--json", "--data", data.Path);
        Assert.True(added.ExitCode == 0, added.Error);
        return (string)JsonNode.Parse(added.Output)!["apiKey"]!;
    }

    /// <summary>Starts a process of <paramref name="role"/> with <paramref name="settings"/> and waits until it is ready.</summary>
    public async Task<ServiceProcess> StartAsync(string role, params string[] settings)
    {
        var data = new TempFolder();
        _folders.Add(data);
        return Own(await ServiceProcess.StartAsync(data.Path, [$"Node:Roles={role}", .. settings]));
    }

    /// <summary>Starts a killed or stopped process again: same address, data folder and settings.</summary>
    public async Task<ServiceProcess> RestartAsync(ServiceProcess stopped) => Own(await stopped.RestartAsync());

    /// <summary>Closes <paramref name="client"/> with the fleet, before the processes stop.</summary>
    public HttpClient Track(HttpClient client)
    {
        _clients.Add(client);
        return client;
    }

    public void Dispose()
    {
        foreach (var disposable in Enumerable.Reverse<IDisposable>([.. _folders, .. _processes, .. _clients]))
        {
            disposable.Dispose();
        }
    }

    private ServiceProcess Own(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
