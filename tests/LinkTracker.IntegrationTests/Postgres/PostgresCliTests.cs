using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.IntegrationTests.Infrastructure;
using Npgsql;

namespace LinkTracker.IntegrationTests.Postgres;

/// <summary>The CLI against PostgreSQL as an operator runs it: bad settings and unreachable servers are one line and exit code 2.</summary>
public sealed class PostgresCliTests : IAsyncLifetime
{
    private readonly TempFolder _data = new();
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData("tenants", "list")]
    [InlineData("tenants", "add", "acme")]
    [InlineData("tenants", "rotate-credentials", "acme")]
    [InlineData("keys", "list", "--tenant", "acme")]
    [InlineData("keys", "create", "--tenant", "acme")]
    [InlineData("migrate")]
    [InlineData("serve", "--urls", "http://127.0.0.1:0")]
    public async Task Every_verb_names_a_configuration_or_connection_problem_in_one_line_with_exit_code_2(params string[] verb)
    {
        var onlyOwner = Environment(("Storage__PostgresOwner", _database.OwnerConnectionString));
        onlyOwner.Remove("LINKTRACKER__Storage__Postgres");
        var closedPort = Environment(("Storage__Postgres", "Host=127.0.0.1;Port=1;Username=app;Password=x;Timeout=3"));
        closedPort.Remove("LINKTRACKER__Storage__PostgresOwner");
        var wrongPassword = Environment(("Storage__Postgres", new NpgsqlConnectionStringBuilder(_database.RuntimeConnectionString) { Password = "wrong" }.ConnectionString));

        foreach (var (environment, expected) in new[] { (onlyOwner, "Storage:Postgres"), (closedPort, "PostgreSQL"), (wrongPassword, "password authentication failed") })
        {
            var run = await LinkTrackerCommand.RunAsync(environment, [.. verb, "--data", _data.Path]);

            Assert.True(run.ExitCode == 2, $"{string.Join(' ', verb)}: exit {run.ExitCode}: {run.Error}");
            var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Tenants_rotate_credentials_gives_a_tenant_a_new_password_that_a_running_service_follows()
    {
        var added = await LinkTrackerCommand.RunAsync(_database.OwnerEnvironment, "tenants", "add", "acme", "--json", "--data", _data.Path);
        Assert.True(added.ExitCode == 0, added.Error);
        await using var service = await TestService.StartAsync(_database.ServiceSettings(withOwner: false));
        using var acme = service.Client("acme", (string)JsonNode.Parse(added.Output)!["apiKey"]!);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/links")).StatusCode);
        var before = await StoredPasswordAsync();

        var rotated = await LinkTrackerCommand.RunAsync(_database.OwnerEnvironment, "tenants", "rotate-credentials", "acme", "--data", _data.Path);
        var unknown = await LinkTrackerCommand.RunAsync(_database.OwnerEnvironment, "tenants", "rotate-credentials", "nobody", "--data", _data.Path);

        Assert.True(rotated.ExitCode == 0, rotated.Error);
        Assert.NotEqual(before, await StoredPasswordAsync());
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no tenant 'nobody'", unknown.Error, StringComparison.Ordinal);
        // Several requests at once need new connections, which log in with the new password.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => acme.GetAsync("/api/links")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // The key folder that decrypts the passwords is its owner's alone.
        Assert.NotEmpty(Directory.GetFiles(_database.KeysDirectory, "*.xml"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_database.KeysDirectory));
            foreach (var file in Directory.GetFiles(_database.KeysDirectory))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task Rotate_credentials_on_the_embedded_engine_says_there_is_nothing_to_rotate()
    {
        await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--data", _data.Path);

        var run = await LinkTrackerCommand.RunAsync("tenants", "rotate-credentials", "acme", "--data", _data.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("SQLite", run.Error, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Environment(params (string Name, string Value)[] overrides)
    {
        var environment = _database.OwnerEnvironment;
        foreach (var (name, value) in overrides)
        {
            environment["LINKTRACKER__" + name] = value;
        }

        return environment;
    }

    private async Task<string> StoredPasswordAsync()
    {
        await using var read = _database.Owner.CreateCommand("SELECT password FROM catalog.tenant_logins WHERE tenant = 'acme'");
        return (string)(await read.ExecuteScalarAsync())!;
    }
}
