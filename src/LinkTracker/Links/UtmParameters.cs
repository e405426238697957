using System.Text;
using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>
/// The utm object of a link: its rules, and how it builds the destination's query. Parameters of the same name are
/// replaced, every other parameter and the fragment are kept as they were written; values are percent-encoded UTF-8.
/// </summary>
public static class UtmParameters
{
    public const int MaxValueLength = 200;

    private static readonly string[] Fields = ["source", "medium", "campaign", "term", "content"];

    /// <summary>Adds a message per bad value, keyed "utm.source" (after <paramref name="prefix"/>).</summary>
    public static void Validate(LinkUtm? utm, string prefix, Dictionary<string, string[]> errors)
    {
        if (utm is null)
        {
            return;
        }

        var values = utm.Values;
        for (var i = 0; i < values.Length; i++)
        {
            if (Validate(values[i], Fields[i]) is { } problem)
            {
                errors[$"{prefix}utm.{Fields[i]}"] = [problem];
            }
        }
    }

    /// <returns>Why <paramref name="value"/> cannot be the UTM field <paramref name="field"/>, or null.</returns>
    public static string? Validate(string? value, string field) => value switch
    {
        null => null,
        _ when string.IsNullOrWhiteSpace(value) => $"utm.{field} is empty; leave it out (or null) to not set utm_{field}.",
        { Length: > MaxValueLength } => $"utm.{field} has {value.Length} characters; at most {MaxValueLength} are accepted.",
        _ when value.Any(char.IsControl) || value.Any(char.IsSurrogate) && !IsWellFormedUtf16(value) =>
            $"utm.{field} contains control characters or broken Unicode; use printable text (it is percent-encoded for you).",
        _ => null,
    };

    /// <summary>
    /// The destination with <paramref name="utm"/>'s parameters: the utm_* names it sets, and those of
    /// <paramref name="previous"/> (a PATCH that clears a field), are removed from the query first.
    /// </summary>
    public static string Apply(string destination, LinkUtm? utm, LinkUtm? previous = null)
    {
        if ((utm is null || utm.IsEmpty) && (previous is null || previous.IsEmpty))
        {
            return destination;
        }

        var hash = destination.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? string.Empty : destination[hash..];
        var beforeFragment = hash < 0 ? destination : destination[..hash];
        var question = beforeFragment.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? beforeFragment : beforeFragment[..question];
        var query = question < 0 ? string.Empty : beforeFragment[(question + 1)..];

        var values = utm?.Values ?? new string?[LinkUtm.Names.Length];
        var previousValues = previous?.Values ?? new string?[LinkUtm.Names.Length];
        var removed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < LinkUtm.Names.Length; i++)
        {
            if (values[i] is not null || previousValues[i] is not null)
            {
                removed.Add(LinkUtm.Names[i]);
            }
        }

        var built = new StringBuilder(path);
        var separator = '?';
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            if (!removed.Contains(name))
            {
                built.Append(separator).Append(pair);
                separator = '&';
            }
        }

        for (var i = 0; i < LinkUtm.Names.Length; i++)
        {
            if (values[i] is { } value)
            {
                built.Append(separator).Append(LinkUtm.Names[i]).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        return built.Append(fragment).ToString();
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
