using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>How values are stored: times as Unix milliseconds, absent values as NULL.</summary>
internal static class SqliteValues
{
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object ToDb(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static object ToDb(string? value) => (object?)value ?? DBNull.Value;

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>Milliseconds in an hour: rollup_hourly keys its rows by Unix milliseconds / this.</summary>
    public const long MsPerHour = 3_600_000;

    /// <summary>The rollup hour that holds the instant (rounded down, before 1970 too).</summary>
    public static long HourFloor(long unixMs) => unixMs >= 0 ? unixMs / MsPerHour : ((unixMs + 1) / MsPerHour) - 1;

    /// <summary>The first rollup hour that starts at or after the instant: an exclusive end that keeps its partial hour.</summary>
    public static long HourCeiling(long unixMs) => -HourFloor(-unixMs);

    public static DateTimeOffset? GetTimeOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromUnixMs(reader.GetInt64(ordinal));

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static byte[] ToBytes(Guid id) => id.ToByteArray(bigEndian: true);

    public static Guid GetUuid(this SqliteDataReader reader, int ordinal) =>
        new(reader.GetFieldValue<byte[]>(ordinal), bigEndian: true);

    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
