using LinkTracker.Core.Dashboard;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>Dashboard users in the tenant's own database file.</summary>
public sealed class SqliteDashboardUserStore(SqliteDatabases databases) : IDashboardUserStore
{
    private const string Columns = "email, role, password_hash, failed_sign_ins, locked_until, created_at, updated_at";

    public async Task SaveAsync(string tenant, DashboardUser user, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO dashboard_users (email, role, password_hash, failed_sign_ins, locked_until, created_at, updated_at)
            VALUES ($email, $role, $hash, 0, NULL, $created, $updated)
            ON CONFLICT (email) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, failed_sign_ins = 0,
                locked_until = NULL, updated_at = excluded.updated_at,
                created_at = CASE WHEN dashboard_users.removed_at IS NULL THEN dashboard_users.created_at ELSE excluded.created_at END,
                removed_at = NULL
            """);
        command.Parameters.AddWithValue("$email", user.Email);
        command.Parameters.AddWithValue("$role", user.Role);
        command.Parameters.AddWithValue("$hash", user.PasswordHash);
        command.Parameters.AddWithValue("$created", SqliteValues.ToUnixMs(user.CreatedAt));
        command.Parameters.AddWithValue("$updated", SqliteValues.ToUnixMs(user.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DashboardUser?> FindAsync(string tenant, string email, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM dashboard_users WHERE email = $email AND removed_at IS NULL");
        command.Parameters.AddWithValue("$email", email);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<DashboardUser>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM dashboard_users WHERE removed_at IS NULL ORDER BY email");
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
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            UPDATE dashboard_users SET removed_at = $at, updated_at = $at, password_hash = '' WHERE email = $email AND removed_at IS NULL
            """);
        command.Parameters.AddWithValue("$email", email);
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> RecordFailedSignInAsync(
        string tenant, string email, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        // One statement: concurrent wrong passwords each count, and exactly one of them locks.
        await using var command = connection.Command("""
            UPDATE dashboard_users SET
                locked_until = CASE WHEN failed_sign_ins + 1 >= $max THEN $until ELSE locked_until END,
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $max THEN 0 ELSE failed_sign_ins + 1 END
            WHERE email = $email AND removed_at IS NULL
            RETURNING failed_sign_ins = 0
            """);
        command.Parameters.AddWithValue("$email", email);
        command.Parameters.AddWithValue("$max", maxFailures);
        command.Parameters.AddWithValue("$until", SqliteValues.ToUnixMs(lockUntil));
        return await command.ExecuteScalarAsync(cancellationToken) is long locked && locked == 1;
    }

    public async Task RecordSignInAsync(string tenant, string email, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            UPDATE dashboard_users SET failed_sign_ins = 0, last_sign_in_at = $at WHERE email = $email AND removed_at IS NULL
            """);
        command.Parameters.AddWithValue("$email", email);
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DashboardUser Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt32(3),
        reader.GetTimeOrNull(4),
        SqliteValues.FromUnixMs(reader.GetInt64(5)),
        SqliteValues.FromUnixMs(reader.GetInt64(6)));
}
