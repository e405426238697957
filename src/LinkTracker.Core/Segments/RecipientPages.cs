using System.Text;
using System.Text.Json;

namespace LinkTracker.Core.Segments;

/// <summary>
/// How a run's recipients are stored: sorted, cut into pages of <see cref="Size"/>, each page one row (its first
/// recipient, its count, its recipients as a JSON array), so a run of 640,000 recipients is 640 rows to write, not
/// 640,000 (ADR 29). The order is Unicode code point order, which is the byte order of UTF-8: SQLite's BINARY and
/// PostgreSQL's "C" collation, so a page found by its first recipient in SQL agrees with the order here.
/// </summary>
public static class RecipientPages
{
    public const int Size = 1000;

    /// <summary>Code point order (= UTF-8 byte order); ordinal UTF-16 order differs for characters beyond U+FFFF.</summary>
    public static IComparer<string> Order { get; } = new CodePointOrder();

    /// <summary>One stored page: its first recipient (the key a cursor seeks), how many it holds, and the JSON array.</summary>
    public sealed record Page(string First, int Count, string Recipients);

    /// <summary>
    /// Sorts <paramref name="recipients"/> in place (code point order), unless they already are (SQLite's GROUP BY and
    /// DISTINCT yield them so, through a B-tree in BINARY order: ADR 30), and cuts them into pages.
    /// </summary>
    /// <exception cref="ArgumentException">A recipient appears twice: a run's query yields each once.</exception>
    public static List<Page> Cut(List<string> recipients)
    {
        if (FirstOutOfOrder(recipients) >= 0)
        {
            recipients.Sort(Order);
            if (FirstOutOfOrder(recipients) is var twice and >= 0)
            {
                throw new ArgumentException($"Recipient '{recipients[twice]}' appears twice in a run.", nameof(recipients));
            }
        }

        var pages = new List<Page>((recipients.Count + Size - 1) / Size);
        var json = new StringBuilder();
        for (var start = 0; start < recipients.Count; start += Size)
        {
            var count = Math.Min(Size, recipients.Count - start);
            json.Clear().Append('[');
            for (var i = start; i < start + count; i++)
            {
                if (i > start)
                {
                    json.Append(',');
                }

                AppendJsonString(json, recipients[i]);
            }

            pages.Add(new Page(recipients[start], count, json.Append(']').ToString()));
        }

        return pages;
    }

    /// <summary>A page's recipients, in order.</summary>
    public static string[] Read(string recipients) =>
        JsonSerializer.Deserialize<string[]>(recipients)
        ?? throw new InvalidDataException("A stored page of segment recipients is not a JSON array.");

    /// <summary>
    /// From consecutive stored pages (the first being the one that may hold <paramref name="after"/>), the recipients
    /// after <paramref name="after"/>, at most <paramref name="limit"/>.
    /// </summary>
    public static List<string> After(IEnumerable<string> pages, string? after, int limit)
    {
        var found = new List<string>(Math.Min(limit, Size));
        foreach (var page in pages)
        {
            foreach (var recipient in Read(page))
            {
                if (after is not null && Order.Compare(recipient, after) <= 0)
                {
                    continue;
                }

                found.Add(recipient);
                if (found.Count == limit)
                {
                    return found;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The first recipient not after the one before it (in sorted input: the second of a pair), or -1 when they are
    /// sorted with no recipient twice.
    /// </summary>
    private static int FirstOutOfOrder(List<string> recipients)
    {
        for (var i = 1; i < recipients.Count; i++)
        {
            if (Order.Compare(recipients[i - 1], recipients[i]) >= 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The string as a JSON string: printable ASCII other than the quote and the backslash as it is (a recipient is
    /// nearly always an email address or an id), anything else through System.Text.Json, which escapes it.
    /// </summary>
    private static void AppendJsonString(StringBuilder json, string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                json.Append(JsonSerializer.Serialize(value));
                return;
            }
        }

        json.Append('"').Append(value).Append('"');
    }

    /// <summary>How many stored pages a read of <paramref name="limit"/> recipients after a cursor may need.</summary>
    public static int PagesFor(int limit) => (limit / Size) + 2;

    private sealed class CodePointOrder : IComparer<string>
    {
        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            // The first difference (vectorised), then its code points: UTF-16 puts surrogates (U+D800-DFFF, characters
            // beyond U+FFFF) below U+E000-FFFF; code points put them above.
            var i = x.AsSpan().CommonPrefixLength(y);
            return i == x.Length || i == y.Length ? x.Length.CompareTo(y.Length) : Weight(x[i]).CompareTo(Weight(y[i]));
        }

        private static int Weight(char c) => char.IsSurrogate(c) ? c + 0x10000 : c;
    }
}
