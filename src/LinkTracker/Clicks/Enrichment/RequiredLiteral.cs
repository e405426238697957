using System.Text;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// The longest run of plain characters that every match of a (case-sensitive) regular expression must contain, found
/// conservatively: groups, classes, escapes such as \d, optional characters and anything after a top-level '|' give
/// none. A crawler pattern with one is tried only when its run occurs in the user agent (a cheap search), which is
/// exact: a match without its run is impossible.
/// </summary>
internal static class RequiredLiteral
{
    /// <summary>Runs shorter than this are too common to be worth a prefilter.</summary>
    public const int MinLength = 3;

    /// <returns>The run, or null when the pattern has none of at least <see cref="MinLength"/> characters.</returns>
    public static string? Of(string pattern)
    {
        if (pattern.Contains("(?", StringComparison.Ordinal))
        {
            return null; // inline options (case-insensitivity) or lookarounds: not worth reasoning about
        }

        var best = "";
        var run = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            char? literal = null;
            switch (c)
            {
                case '|':
                    return null; // an alternative at the top: no run is required by both sides
                case '\\' when i + 1 < pattern.Length && !char.IsAsciiLetterOrDigit(pattern[i + 1]):
                    literal = pattern[i + 1];
                    i += 2;
                    break;
                case '\\':
                    i += 2; // \d, \s, \b, \w, a back-reference...: not a plain character
                    break;
                case '[':
                    i = SkipClass(pattern, i);
                    break;
                case '(':
                    i = SkipGroup(pattern, i);
                    break;
                case '.' or '^' or '$':
                    i++;
                    break;
                case '*' or '+' or '?' or '{' or ')' or ']':
                    return null; // a quantifier with nothing before it or unbalanced: do not guess
                default:
                    literal = c;
                    i++;
                    break;
            }

            var quantifier = i < pattern.Length ? pattern[i] : '\0';
            if (literal is { } plain && quantifier is not ('?' or '*' or '{'))
            {
                run.Append(plain);
                if (quantifier != '+')
                {
                    continue; // the run goes on
                }
            }

            // The run ends here: at a non-plain atom, an optional character, or a repeated one (kept, then the end).
            best = Longer(best, run);
            run.Clear();
            i = SkipQuantifier(pattern, i);
        }

        best = Longer(best, run);
        return best.Length >= MinLength ? best : null;
    }

    private static string Longer(string best, StringBuilder run) => run.Length > best.Length ? run.ToString() : best;

    private static int SkipQuantifier(string pattern, int i)
    {
        if (i < pattern.Length && pattern[i] is '?' or '*' or '+')
        {
            i++;
        }
        else if (i < pattern.Length && pattern[i] == '{')
        {
            var end = pattern.IndexOf('}', i);
            i = end < 0 ? pattern.Length : end + 1;
        }
        else
        {
            return i;
        }

        return i < pattern.Length && pattern[i] is '?' or '+' ? i + 1 : i; // lazy or possessive
    }

    private static int SkipClass(string pattern, int i)
    {
        i++; // '['
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++; // a ']' first is a member
        }

        while (i < pattern.Length && pattern[i] != ']')
        {
            i += pattern[i] == '\\' ? 2 : 1;
        }

        return i + 1;
    }

    private static int SkipGroup(string pattern, int i)
    {
        var depth = 0;
        while (i < pattern.Length)
        {
            switch (pattern[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '[':
                    i = SkipClass(pattern, i);
                    continue;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i + 1;
            }

            i++;
        }

        return i;
    }
}
