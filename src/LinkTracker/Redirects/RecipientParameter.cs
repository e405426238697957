namespace LinkTracker.Redirects;

/// <summary>The ?r= recipient of a click. A bad one never fails the redirect: it is dropped and the click flagged.</summary>
public static class RecipientParameter
{
    public const string Name = "r";
    public const int MaxLength = 128;

    /// <returns>The recipient, or null when absent or invalid (invalid sets <paramref name="invalid"/>).</returns>
    public static string? Read(string? value, out bool invalid)
    {
        invalid = false;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > MaxLength || value.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || value.Contains('\u007f'))
        {
            invalid = true;
            return null;
        }

        return value;
    }
}
