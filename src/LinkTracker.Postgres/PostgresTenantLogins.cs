using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace LinkTracker.Postgres;

/// <summary>
/// A tenant's own login: a random password, set on its role as a SCRAM-SHA-256 verifier (so the plain password never
/// reaches the server or its statement log) and kept in catalog.tenant_logins encrypted with Data Protection.
/// </summary>
internal static class PostgresTenantLogins
{
    /// <summary>Purpose string of the Data Protection protector; changing it makes every stored password unreadable.</summary>
    public const string ProtectorPurpose = "LinkTracker.Postgres.TenantLogin.v1";

    /// <summary>Gives the role a new random password and stores it, encrypted, in the caller's (owner) transaction.</summary>
    public static async Task SetNewPasswordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, string role, IDataProtector protector, CancellationToken cancellationToken)
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // The verifier is base64 and '$', ':' only: safe inside a literal (ALTER ROLE takes no parameters).
        await using (var alter = new NpgsqlCommand(
            $"ALTER ROLE {PostgresNames.Quote(role)} LOGIN NOINHERIT PASSWORD '{ScramVerifier(password)}'", connection, transaction))
        {
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var store = new NpgsqlCommand("""
            INSERT INTO catalog.tenant_logins (tenant, password, rotated_at) VALUES ($1, $2, now())
            ON CONFLICT (tenant) DO UPDATE SET password = excluded.password, rotated_at = excluded.rotated_at
            """, connection, transaction);
        store.Parameters.Add(PostgresValues.Text(tenant));
        store.Parameters.Add(PostgresValues.Text(protector.Protect(password)));
        await store.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <returns>Whether the catalog holds a password for the tenant.</returns>
    public static async Task<bool> HasPasswordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM catalog.tenant_logins WHERE tenant = $1", connection, transaction);
        command.Parameters.Add(PostgresValues.Text(tenant));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>What PostgreSQL stores for PASSWORD (RFC 5802/7677, the format of pg_authid.rolpassword).</summary>
    internal static string ScramVerifier(string password)
    {
        const int Iterations = 4096;
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
