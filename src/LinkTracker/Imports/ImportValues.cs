using System.Globalization;

namespace LinkTracker.Imports;

/// <summary>Reads the values exports hold (times, counts, tag lists), collecting what cannot be read as a row's problem.</summary>
internal sealed class ImportValues
{
    private List<string>? _problems;

    public string? Problem => _problems is null ? null : string.Join(" ", _problems);

    /// <summary>An ISO 8601 time, or "yyyy-MM-dd HH:mm:ss" (taken as UTC without an offset), to the second.</summary>
    public DateTimeOffset? Time(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var at))
        {
            return new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }

        Add($"{name} '{Shorten(value)}' is not a time; write it as ISO 8601, e.g. 2024-03-01T10:20:30Z.");
        return null;
    }

    /// <summary>A count of clicks: a whole number, 0 or more.</summary>
    public long? Count(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (long.TryParse(value.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var count))
        {
            return count;
        }

        Add($"{name} '{Shorten(value)}' is not a whole number of clicks (0 or more).");
        return null;
    }

    /// <summary>Tags from one field, separated by '|' (and by ',' where the source uses it).</summary>
    public static IReadOnlyList<string>? Tags(string? value, bool commaToo = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        char[] separators = commaToo ? ['|', ','] : ['|'];
        return [.. value.Split(separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }

    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public void Add(string problem) => (_problems ??= []).Add(problem);

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
