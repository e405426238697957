using Microsoft.AspNetCore.WebUtilities;

namespace LinkTracker.Redirects;

/// <summary>The ?r= recipient of a click. A bad one never fails the redirect: it is dropped and the click flagged.</summary>
public static class RecipientParameter
{
    public const string Name = "r";
    public const int MaxLength = 128;

    /// <summary>The raw value of the first r= in the query, decoded; the query is scanned, not parsed into a dictionary.</summary>
    public static string? Find(QueryString query)
    {
        foreach (var pair in new QueryStringEnumerable(query.Value))
        {
            if (pair.EncodedName.Span.SequenceEqual(Name))
            {
                return pair.DecodeValue().ToString();
            }
        }

        return null;
    }

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
