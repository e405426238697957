using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>The administrative verbs, run as the real executable against a data folder.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Tenants_add_prints_a_key_once_and_refuses_duplicates_and_bad_slugs()
    {
        var added = await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--name", "Acme Inc.", "--data", _data.Path);
        var again = await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--data", _data.Path);
        var bad = await LinkTrackerCommand.RunAsync("tenants", "add", "www", "--data", _data.Path);
        var list = await LinkTrackerCommand.RunAsync("tenants", "list", "--json", "--data", _data.Path);

        Assert.Equal(0, added.ExitCode);
        Assert.Matches("lt_[0-9a-f]{64}", added.Output);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("reserved", bad.Error, StringComparison.Ordinal);
        var tenants = JsonNode.Parse(list.Output)!.AsArray();
        Assert.Equal("Acme Inc.", (string?)Assert.Single(tenants)!["name"]);
        Assert.True(File.Exists(Path.Combine(_data.Path, "tenants", "acme.db")));
    }

    [Fact]
    public async Task Key_ids_are_opaque_and_a_key_can_be_revoked_by_its_token()
    {
        var created = JsonNode.Parse((await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--json", "--data", _data.Path)).Output)!;
        var (token, id) = ((string)created["apiKey"]!, (string)created["keyId"]!);
        var list = await LinkTrackerCommand.RunAsync("keys", "list", "--tenant", "acme", "--data", _data.Path);

        Assert.Matches("^key_[0-9a-f]{16}$", id);
        Assert.DoesNotContain(id[4..], token, StringComparison.Ordinal);
        Assert.Contains(id, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token[3..19], list.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await LinkTrackerCommand.RunAsync("keys", "revoke", token, "--tenant", "acme", "--data", _data.Path)).ExitCode);
        Assert.Equal(2, (await LinkTrackerCommand.RunAsync("keys", "revoke", id, "--tenant", "acme", "--data", _data.Path)).ExitCode);
    }

    [Fact]
    public async Task Keys_of_an_earlier_release_get_opaque_ids_at_migration_and_keep_working()
    {
        await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--data", _data.Path);
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var legacyToken = "lt_0011223344556677" + Convert.ToHexStringLower(secret);
        await using (var catalog = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data.Path, "catalog.db")};Pooling=false"))
        {
            // The catalog as the release before opaque ids left it: version 1, ids cut from the token.
            await catalog.OpenAsync();
            await using var command = catalog.CreateCommand();
            command.CommandText = """
                DROP INDEX api_keys_secret_hash;
                INSERT INTO api_keys (id, tenant, secret_hash, label, created_at) VALUES ('0011223344556677', 'acme', $hash, 'old', 0);
                PRAGMA user_version = 1;
                """;
            command.Parameters.AddWithValue("$hash", System.Security.Cryptography.SHA256.HashData(secret));
            await command.ExecuteNonQueryAsync();
        }

        using var service = await ServiceProcess.StartAsync(_data.Path);
        using var client = service.Client("acme", legacyToken);
        var list = await LinkTrackerCommand.RunAsync("keys", "list", "--tenant", "acme", "--data", _data.Path);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/links")).StatusCode);
        Assert.DoesNotContain("0011223344556677", list.Output, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(list.Output, "key_[0-9a-f]{16}"));
    }

    [Fact]
    public async Task Keys_created_and_revoked_by_the_cli_work_and_stop_working_on_a_running_server()
    {
        var added = JsonNode.Parse((await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--json", "--data", _data.Path)).Output)!;
        var created = JsonNode.Parse((await LinkTrackerCommand.RunAsync("keys", "create", "--tenant", "acme", "--label", "ci", "--json", "--data", _data.Path)).Output)!;
        using var service = await ServiceProcess.StartAsync(_data.Path);
        using var withFirst = service.Client("acme", (string)added["apiKey"]!);
        using var withSecond = service.Client("acme", (string)created["apiKey"]!);
        Assert.Equal(HttpStatusCode.OK, (await withSecond.GetAsync("/api/links")).StatusCode);

        var revoke = await LinkTrackerCommand.RunAsync("keys", "revoke", (string)created["keyId"]!, "--tenant", "acme", "--data", _data.Path);
        var revokeAgain = await LinkTrackerCommand.RunAsync("keys", "revoke", (string)created["keyId"]!, "--tenant", "acme", "--data", _data.Path);

        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal(2, revokeAgain.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withSecond.GetAsync("/api/links")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withFirst.GetAsync("/api/links")).StatusCode);
    }

    [Fact]
    public async Task A_tenant_added_while_the_server_runs_is_served_at_once()
    {
        using var service = await ServiceProcess.StartAsync(_data.Path);
        var added = JsonNode.Parse((await LinkTrackerCommand.RunAsync("tenants", "add", "late", "--json", "--data", _data.Path)).Output)!;
        using var client = service.Client("late", (string)added["apiKey"]!);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/links")).StatusCode);
    }

    [Fact]
    public async Task Migrate_upgrades_every_tenant_or_a_canary_and_names_a_tenant_it_cannot_upgrade()
    {
        await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--data", _data.Path);
        await LinkTrackerCommand.RunAsync("tenants", "add", "beta", "--data", _data.Path);
        // beta's database was written by a newer LinkTracker.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data.Path, "tenants", "beta.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var all = await LinkTrackerCommand.RunAsync("migrate", "--data", _data.Path);
        var canary = await LinkTrackerCommand.RunAsync("migrate", "--tenant", "acme", "--data", _data.Path);
        var unknown = await LinkTrackerCommand.RunAsync("migrate", "--tenant", "nobody", "--data", _data.Path);

        Assert.Equal(2, all.ExitCode);
        Assert.Contains("[1/2] acme", all.Output, StringComparison.Ordinal);
        Assert.Contains("[2/2] beta", all.Output, StringComparison.Ordinal);
        Assert.Contains("1 of 2 tenants up to date", all.Output, StringComparison.Ordinal);
        Assert.Contains("beta", all.Error, StringComparison.Ordinal);
        Assert.Contains("schema version 99", all.Error, StringComparison.Ordinal);
        Assert.Equal(0, canary.ExitCode);
        Assert.Contains("1 of 1 tenants up to date", canary.Output, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no tenant 'nobody'", unknown.Error, StringComparison.Ordinal);
    }
}
