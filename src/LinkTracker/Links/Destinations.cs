using System.Globalization;
using System.Text;

namespace LinkTracker.Links;

/// <summary>
/// Turns a destination into the ASCII form a Location header can carry: an international host becomes punycode and
/// other non-ASCII characters are percent-encoded as UTF-8. Control and invisible characters are refused, not encoded:
/// they hide where a link points (U+200E, U+202E, U+200B) or break lines (U+0085, U+2028).
/// </summary>
public static class Destinations
{
    // STD3 rules keep an international host to letters, digits and hyphens once mapped (no full-width '/' or '@').
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <returns>A message naming the problem, or null with <paramref name="ascii"/> set to the ASCII form.</returns>
    public static string? ToAscii(string url, out string ascii)
    {
        ascii = url;
        if (FindRefused(url) is { } refused)
        {
            return refused;
        }

        if (Ascii.IsValid(url))
        {
            return null;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Ascii.IsValid(url.AsSpan(0, colon)))
        {
            return "url must be an absolute address such as https://example.com/page; relative addresses are refused.";
        }

        var builder = new StringBuilder(url.Length + 32).Append(url, 0, colon + 1);
        var rest = colon + 1;
        if (url.AsSpan(rest).StartsWith("//", StringComparison.Ordinal))
        {
            var start = rest + 2;
            var end = url.AsSpan(start).IndexOfAny("/?#\\");
            end = end < 0 ? url.Length : start + end;
            var authority = url[start..end];
            if (authority.Contains('@', StringComparison.Ordinal))
            {
                return LinkRules.UserInfoProblem;
            }

            var portAt = authority.LastIndexOf(':');
            var host = portAt < 0 ? authority : authority[..portAt];
            var port = portAt < 0 ? string.Empty : authority[portAt..];
            if (!Ascii.IsValid(port))
            {
                return "url has a port that is not a number; write it with the digits 0-9, e.g. https://example.com:8443/.";
            }

            builder.Append("//");
            if (Ascii.IsValid(host))
            {
                builder.Append(host);
            }
            else
            {
                try
                {
                    builder.Append(Idn.GetAscii(host));
                }
                catch (ArgumentException)
                {
                    return $"url has the host '{host}', which is not a valid international domain name; check its spelling or give it in punycode (xn--...).";
                }
            }

            builder.Append(port);
            rest = end;
        }

        AppendEncoded(builder, url.AsSpan(rest));
        ascii = builder.ToString();
        return null;
    }

    /// <summary>What the redirect puts in Location: the stored destination, encoded if it came in unencoded (e.g. imported).</summary>
    /// <returns>The header value, or null when the destination cannot be one.</returns>
    public static string? ForLocation(string destination)
    {
        if (!destination.AsSpan().ContainsAnyExceptInRange('\u0021', '\u007e'))
        {
            return destination;
        }

        return ToAscii(destination, out var ascii) is null && !ascii.AsSpan().ContainsAnyExceptInRange('\u0021', '\u007e') ? ascii : null;
    }

    private static string? FindRefused(string url)
    {
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (c is > '\u0020' and < '\u007f')
            {
                continue;
            }

            var pair = char.IsHighSurrogate(c) && i + 1 < url.Length && char.IsLowSurrogate(url[i + 1]);
            var category = pair ? CharUnicodeInfo.GetUnicodeCategory(url, i) : char.GetUnicodeCategory(c);
            var what = category switch
            {
                UnicodeCategory.Control => "a control character",
                UnicodeCategory.Format => "an invisible formatting character",
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line or paragraph separator",
                UnicodeCategory.SpaceSeparator => "a space",
                UnicodeCategory.Surrogate => "half of a character pair (broken text)",
                _ => null,
            };
            if (what is not null)
            {
                var codePoint = pair ? char.ConvertToUtf32(c, url[i + 1]) : c;
                return $"url contains spaces or control characters: U+{codePoint:X4} ({what}) at character {i + 1}. "
                    + "Remove it; a space that belongs in the address is written %20.";
            }

            if (pair)
            {
                i++;
            }
        }

        return null;
    }

    private static void AppendEncoded(StringBuilder builder, ReadOnlySpan<char> rest)
    {
        while (!rest.IsEmpty)
        {
            var ascii = rest.IndexOfAnyExceptInRange('\u0000', '\u007f');
            if (ascii < 0)
            {
                builder.Append(rest);
                return;
            }

            builder.Append(rest[..ascii]);
            rest = rest[ascii..];
            var run = rest.IndexOfAnyInRange('\u0000', '\u007f');
            run = run < 0 ? rest.Length : run;
            builder.Append(Uri.EscapeDataString(rest[..run]));
            rest = rest[run..];
        }
    }
}
