using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace LinkTracker.Storage;

public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>Folder of the embedded databases: catalog.db, journal.db, jobs.db and tenants/*.db (only the journal and jobs on Postgres).</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The engine of the catalog and the tenants' data.</summary>
    [EnumDataType(typeof(StorageEngine), ErrorMessage = "Storage:Engine must be Sqlite or Postgres.")]
    public StorageEngine Engine { get; set; } = StorageEngine.Sqlite;

    /// <summary>The runtime login's connection string (the catalog; tenants connect with their own logins on the same server); required on Postgres.</summary>
    public string? Postgres { get; set; }

    /// <summary>The owner login's connection string, for migrations and provisioning; empty on processes that only serve.</summary>
    public string? PostgresOwner { get; set; }

    /// <summary>Starts every tenant role's name; roles are per server, so give each database its own.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,30}$", ErrorMessage = "Storage:PostgresRolePrefix must be up to 31 of a-z, 0-9 and _, not starting with a digit.")]
    public string PostgresRolePrefix { get; set; } = "lt_";

    /// <summary>
    /// Folder of the Data Protection keys that encrypt the tenants' PostgreSQL passwords in the catalog (default:
    /// keys/ in the data folder). Every api, worker and CLI node must use the same keys: on several machines, a shared folder.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>Tenant connections in use at once, across all tenants (each tenant has its own login and pool).</summary>
    [Range(1, 10_000, ErrorMessage = "Storage:PostgresMaxTenantConnections must be between 1 and 10000.")]
    public int PostgresMaxTenantConnections { get; set; } = 64;

    /// <summary>A tenant's connection pool is closed after this long unused.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Storage:PostgresTenantPoolIdleTime must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan PostgresTenantPoolIdleTime { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Engine != StorageEngine.Postgres)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Postgres))
        {
            yield return new ValidationResult(
                "Storage:Engine is Postgres, so Storage:Postgres must be set to the runtime login's connection string "
                + "(e.g. Host=db;Database=linktracker;Username=linktracker_app;Password=...).",
                [nameof(Postgres)]);
        }
        else if (ConnectionStringProblem(Postgres) is { } problem)
        {
            yield return new ValidationResult($"Storage:Postgres is not a valid connection string: {problem}", [nameof(Postgres)]);
        }

        if (!string.IsNullOrWhiteSpace(PostgresOwner) && ConnectionStringProblem(PostgresOwner) is { } ownerProblem)
        {
            yield return new ValidationResult($"Storage:PostgresOwner is not a valid connection string: {ownerProblem}", [nameof(PostgresOwner)]);
        }
    }

    private static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
