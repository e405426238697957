using LinkTracker.Postgres;
using LinkTracker.Storage;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh database on the test server (LINKTRACKER_TEST_POSTGRES, a superuser) with its own role prefix, so
/// tests run in parallel; dropped with its tenant roles at the end. The stores log in as a NOINHERIT,
/// non-superuser runtime role and as each tenant's own login, as in production; the owner is the superuser. Every
/// process of a test shares this database's Data Protection key folder, as the nodes of a deployment do.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "LINKTRACKER_TEST_POSTGRES";
    private const string RuntimeRole = "lt_test_runtime";
    private const string RuntimePassword = "lt-test-runtime";
    private static readonly Lazy<Task> RuntimeRoleCreated = new(() => CreateRuntimeRoleAsync(ServerConnectionString));

    private readonly string _server;
    private readonly NpgsqlDataSource _owner;
    private readonly NpgsqlDataSource _runtime;

    private PostgresTestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        OwnerConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        RuntimeConnectionString = new NpgsqlConnectionStringBuilder(server)
        {
            Database = name,
            Username = RuntimeRole,
            Password = RuntimePassword,
        }.ConnectionString;
        _owner = NpgsqlDataSource.Create(OwnerConnectionString);
        _runtime = NpgsqlDataSource.Create(RuntimeConnectionString);
        KeysDirectory = Directory.CreateTempSubdirectory("linktracker-keys-").FullName;
        Protection = TenantSecrets.Provider(KeysDirectory);
        Provisioning = new PostgresDatabases(_runtime, _owner, RolePrefix, Protection);
        Runtime = new PostgresDatabases(_runtime, owner: null, RolePrefix, Protection);
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests cannot run. Run the tests through scripts/test.sh, "
                + "or start the servers yourself: . \"$(scripts/services.sh)\" (and scripts/services.sh stop \"$LINKTRACKER_SERVICES_DIR\" afterwards).");

    public string Name { get; }

    /// <summary>The owner login (the test server's superuser) on this database.</summary>
    public string OwnerConnectionString { get; }

    /// <summary>The runtime login on this database.</summary>
    public string RuntimeConnectionString { get; }

    /// <summary>The role prefix of this database's tenant roles.</summary>
    public string RolePrefix => Name + "_";

    /// <summary>The Data Protection key folder of every process of the test (Storage:KeysDirectory).</summary>
    public string KeysDirectory { get; }

    /// <summary>The keys in <see cref="KeysDirectory"/>: what decrypts the tenants' passwords in the catalog.</summary>
    public IDataProtectionProvider Protection { get; }

    /// <summary>The environment of a `linktracker` command with the owner login, e.g. `tenants add`.</summary>
    public Dictionary<string, string> OwnerEnvironment => new()
    {
        ["LINKTRACKER__Storage__Engine"] = "Postgres",
        ["LINKTRACKER__Storage__Postgres"] = RuntimeConnectionString,
        ["LINKTRACKER__Storage__PostgresOwner"] = OwnerConnectionString,
        ["LINKTRACKER__Storage__PostgresRolePrefix"] = RolePrefix,
        ["LINKTRACKER__Storage__KeysDirectory"] = KeysDirectory,
    };

    /// <summary>Settings that run a service's storage on this database; without the owner, as a process that only serves.</summary>
    public string[] ServiceSettings(bool withOwner = true) =>
    [
        "Storage:Engine=Postgres",
        $"Storage:Postgres={RuntimeConnectionString}",
        $"Storage:PostgresRolePrefix={RolePrefix}",
        $"Storage:KeysDirectory={KeysDirectory}",
        .. withOwner ? [$"Storage:PostgresOwner={OwnerConnectionString}"] : Array.Empty<string>(),
    ];

    /// <summary>With the owner connection: provisions tenants and migrates.</summary>
    public PostgresDatabases Provisioning { get; }

    /// <summary>The runtime login only, as an API or worker process has it.</summary>
    public PostgresDatabases Runtime { get; }

    public NpgsqlDataSource Owner => _owner;

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        await RuntimeRoleCreated.Value;
        return await CreateOnAsync(ServerConnectionString);
    }

    /// <summary>A fresh database on another server (e.g. a private one a test restarts), given a superuser's connection string.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync(string serverConnectionString)
    {
        await CreateRuntimeRoleAsync(serverConnectionString);
        return await CreateOnAsync(serverConnectionString);
    }

    private static async Task<PostgresTestDatabase> CreateOnAsync(string serverConnectionString)
    {
        var name = "lt_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var server = NpgsqlDataSource.Create(serverConnectionString))
        await using (var create = server.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new PostgresTestDatabase(serverConnectionString, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Provisioning.DisposeAsync();
        await Runtime.DisposeAsync();
        await _owner.DisposeAsync();
        await _runtime.DisposeAsync();
        await using var server = NpgsqlDataSource.Create(_server);
        await using (var drop = server.CreateCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var roles = new List<string>();
        await using (var find = server.CreateCommand("SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)"))
        {
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name + "_" });
            await using var reader = await find.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                roles.Add(reader.GetString(0));
            }
        }

        foreach (var role in roles)
        {
            await using var dropRole = server.CreateCommand($"DROP ROLE \"{role}\"");
            await dropRole.ExecuteNonQueryAsync();
        }

        Directory.Delete(KeysDirectory, recursive: true);
    }

    /// <summary>The setup step of a real deployment, for the runtime login: LOGIN NOINHERIT, not a superuser.</summary>
    private static async Task CreateRuntimeRoleAsync(string serverConnectionString)
    {
        await using var server = NpgsqlDataSource.Create(serverConnectionString);
        await using var connection = await server.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Test processes may run side by side on one server: one creates the role, the others wait.
        await using (var command = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock(hashtext('{RuntimeRole}'));
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{RuntimeRole}') THEN
                    CREATE ROLE {RuntimeRole} LOGIN NOINHERIT PASSWORD '{RuntimePassword}';
                END IF;
            END $$;
            """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
