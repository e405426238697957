using LinkTracker.Core.Dashboard;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>Dashboard users in the tenant's schema, read and written with the tenant's own login.</summary>
public sealed class PostgresDashboardUserStore(PostgresDatabases databases) : IDashboardUserStore
{
    private const string Columns = "email, role, password_hash, failed_sign_ins, locked_until, created_at, updated_at";

    /// <summary>The tenant schema version that added dashboard_users: the position of 0005_users.sql among this build's scripts.</summary>
    private static readonly int UsersVersion = PostgresMigrator.Scripts("Tenant").ToList().FindIndex(s => s.EndsWith("0005_users.sql", StringComparison.Ordinal)) + 1;

    public async Task SaveAsync(string tenant, DashboardUser user, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, UsersVersion, cancellationToken);
        await using var command = transaction.Command("""
            INSERT INTO dashboard_users (email, role, password_hash, failed_sign_ins, locked_until, created_at, updated_at)
            VALUES ($1, $2, $3, 0, NULL, $4, $5)
            ON CONFLICT (email) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, failed_sign_ins = 0,
                locked_until = NULL, updated_at = excluded.updated_at,
                created_at = CASE WHEN dashboard_users.removed_at IS NULL THEN dashboard_users.created_at ELSE excluded.created_at END,
                removed_at = NULL
            """);
        command.Parameters.Add(PostgresValues.Text(user.Email));
        command.Parameters.Add(PostgresValues.Text(user.Role));
        command.Parameters.Add(PostgresValues.Text(user.PasswordHash));
        command.Parameters.Add(PostgresValues.Time(user.CreatedAt));
        command.Parameters.Add(PostgresValues.Time(user.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<DashboardUser?> FindAsync(string tenant, string email, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, UsersVersion, cancellationToken);
        await using var command = transaction.Command($"SELECT {Columns} FROM dashboard_users WHERE email = $1 AND removed_at IS NULL");
        command.Parameters.Add(PostgresValues.Text(email));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<DashboardUser>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, UsersVersion, cancellationToken);
        await using var command = transaction.Command($"SELECT {Columns} FROM dashboard_users WHERE removed_at IS NULL ORDER BY email COLLATE \"C\"");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<DashboardUser>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    public async Task<bool> RemoveAsync(string tenant, string email, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, UsersVersion, cancellationToken);
        await using var command = transaction.Command("""
            UPDATE dashboard_users SET removed_at = $2, updated_at = $2, password_hash = '' WHERE email = $1 AND removed_at IS NULL
            """);
        command.Parameters.Add(PostgresValues.Text(email));
        command.Parameters.Add(PostgresValues.Time(at));
        var removed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    public async Task<bool> RecordFailedSignInAsync(
        string tenant, string email, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, UsersVersion, cancellationToken);
        // One statement (the row lock orders concurrent attempts): each counts, and exactly one of them locks.
        await using var command = transaction.Command("""
            UPDATE dashboard_users SET
                locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END,
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END
            WHERE email = $1 AND removed_at IS NULL
            RETURNING failed_sign_ins = 0
            """);
        command.Parameters.Add(PostgresValues.Text(email));
        command.Parameters.Add(PostgresValues.Of(maxFailures));
        command.Parameters.Add(PostgresValues.Time(lockUntil));
        var locked = await command.ExecuteScalarAsync(cancellationToken) is true;
        await transaction.CommitAsync(cancellationToken);
        return locked;
    }

    public async Task RecordSignInAsync(string tenant, string email, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, UsersVersion, cancellationToken);
        await using var command = transaction.Command("""
            UPDATE dashboard_users SET failed_sign_ins = 0, last_sign_in_at = $2 WHERE email = $1 AND removed_at IS NULL
            """);
        command.Parameters.Add(PostgresValues.Text(email));
        command.Parameters.Add(PostgresValues.Time(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static DashboardUser Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt32(3),
        reader.GetTimeOrNull(4),
        reader.GetFieldValue<DateTimeOffset>(5),
        reader.GetFieldValue<DateTimeOffset>(6));
}
