using System.Security.Cryptography;
using Npgsql;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>
/// A database for the distributed deployment on the bench's private PostgreSQL, set up as an operator would: the
/// superuser owns it and provisions tenants; the services log in as a LOGIN NOINHERIT runtime role.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private const string Name = "lt_bench";
    private const string RuntimeRole = "lt_bench_runtime";
    private readonly NpgsqlDataSource _owner;

    private BenchDatabase(string ownerConnectionString, string runtimeConnectionString)
    {
        OwnerConnectionString = ownerConnectionString;
        RuntimeConnectionString = runtimeConnectionString;
        _owner = NpgsqlDataSource.Create(ownerConnectionString);
        KeysDirectory = Directory.CreateTempSubdirectory("lt-bench-keys-").FullName;
    }

    /// <summary>The Data Protection keys every node shares: they decrypt the tenants' own PostgreSQL passwords (ADR 12).</summary>
    public string KeysDirectory { get; }

    public string OwnerConnectionString { get; }

    public string RuntimeConnectionString { get; }

    public static string RolePrefix => Name + "_";

    /// <summary>The storage settings of an api or worker node: the runtime login only.</summary>
    public string[] RuntimeSettings =>
        ["Storage:Engine=Postgres", $"Storage:Postgres={RuntimeConnectionString}", $"Storage:PostgresRolePrefix={RolePrefix}", $"Storage:KeysDirectory={KeysDirectory}"];

    /// <summary>For `linktracker tenants add`: the owner too, which provisions the tenant's schema and role.</summary>
    public IReadOnlyDictionary<string, string> ProvisioningEnvironment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LINKTRACKER__Storage__Engine"] = "Postgres",
        ["LINKTRACKER__Storage__Postgres"] = RuntimeConnectionString,
        ["LINKTRACKER__Storage__PostgresOwner"] = OwnerConnectionString,
        ["LINKTRACKER__Storage__PostgresRolePrefix"] = RolePrefix,
        ["LINKTRACKER__Storage__KeysDirectory"] = KeysDirectory,
    };

    public static async Task<BenchDatabase> CreateAsync(string superuserConnectionString, CancellationToken cancellationToken)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using (var server = NpgsqlDataSource.Create(superuserConnectionString))
        {
            // Names and the password are the bench's own constants and hex, never input.
            await using var create = server.CreateCommand($"CREATE DATABASE {Name}");
            await create.ExecuteNonQueryAsync(cancellationToken);
            await using var role = server.CreateCommand($"CREATE ROLE {RuntimeRole} LOGIN NOINHERIT PASSWORD '{password}'");
            await role.ExecuteNonQueryAsync(cancellationToken);
        }

        var owner = new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = Name }.ConnectionString;
        var runtime = new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = Name, Username = RuntimeRole, Password = password }.ConnectionString;
        return new BenchDatabase(owner, runtime);
    }

    /// <summary>Rows in the tenant's clicks table (what the writer committed).</summary>
    public async Task<long> CountClicksAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var command = _owner.CreateCommand($"SELECT count(*) FROM {Schema(tenant)}.clicks");
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    /// <summary>Rows in the tenant's links table.</summary>
    public async Task<long> CountLinksAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var command = _owner.CreateCommand($"SELECT count(*) FROM {Schema(tenant)}.links");
        return (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    /// <summary>Every stored click's recipient (null for none), straight from the tenant's table.</summary>
    public async Task<List<string?>> ReadRecipientsAsync(string tenant, CancellationToken cancellationToken)
    {
        var recipients = new List<string?>();
        await using var command = _owner.CreateCommand($"SELECT recipient FROM {Schema(tenant)}.clicks");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recipients.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return recipients;
    }

    public async ValueTask DisposeAsync()
    {
        await _owner.DisposeAsync();
        Directory.Delete(KeysDirectory, recursive: true);
    }

    /// <summary>The service's naming (t_ + slug with '-' as '_'); the bench's slugs are short and valid.</summary>
    private static string Schema(string tenant) => "t_" + tenant.Replace('-', '_');
}
