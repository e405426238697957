using System.Security.Cryptography;
using LinkTracker.Core.Common;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LinkTracker.Cli;

internal static class CliErrors
{
    /// <summary>Prints the message on standard error, on one line, and returns the exit code of a refused command.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return 2;
    }

    /// <summary>
    /// A configuration or connection problem, said as one line that names what to fix; null for anything else (a bug,
    /// which keeps its stack trace). The outermost recognised exception wins: it knows most about what was being done.
    /// </summary>
    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OptionsValidationException:
                    return $"configuration: {e.Message}";
                case TenantAdminException or SchemaTooNewException or SchemaTooOldException or InvalidOperationException:
                    return e.Message;
                case PostgresException postgres:
                    return $"PostgreSQL refused: {postgres.MessageText} ({postgres.SqlState}). Check the logins in Storage:Postgres and Storage:PostgresOwner.";
                case NpgsqlException:
                    return $"PostgreSQL: {e.Message} Check the host, port and database in Storage:Postgres and Storage:PostgresOwner.";
                case CryptographicException:
                    return $"keys: {e.Message} Every node must use the same key folder (Storage:KeysDirectory).";
                case UnauthorizedAccessException or IOException:
                    return $"data folder: {e.Message} Check --data (Storage:DataDirectory) and Storage:KeysDirectory.";
            }
        }

        return null;
    }
}
