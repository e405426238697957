using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>How values are stored: times as Unix milliseconds, absent values as NULL.</summary>
internal static class SqliteValues
{
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object ToDb(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static object ToDb(string? value) => (object?)value ?? DBNull.Value;

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

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
