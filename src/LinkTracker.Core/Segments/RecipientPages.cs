using System.Buffers;
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

    /// <summary>What ends the unescaped run of a JSON string: its quote, an escape, or a control character (invalid raw).</summary>
    private static readonly SearchValues<char> StringEnds = SearchValues.Create(
        "\"\\\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

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

    /// <summary>
    /// The pages of a JSON array of recipients (PostgreSQL's json_agg of a run) and how many it holds. When the array
    /// comes in order with no name escaped (nearly always: a run grouped over the recipient index, email addresses),
    /// each page is a slice of the text and only its first name is read: parsing 655,000 names into strings and writing
    /// them out again took 0.1-0.25 s of a 1.6 s run (ADR 29). Otherwise, as <see cref="Cut(List{string})"/> of the
    /// parsed array.
    /// </summary>
    /// <exception cref="JsonException">The text is not a JSON array of strings.</exception>
    /// <exception cref="ArgumentException">A recipient appears twice.</exception>
    public static (List<Page> Pages, int Count) Cut(string json)
    {
        var pages = new List<Page>();
        var count = SliceInOrder(json, pages);
        if (count >= 0)
        {
            return (pages, count);
        }

        var recipients = JsonSerializer.Deserialize<List<string>>(json) ?? [];
        return (Cut(recipients), recipients.Count);
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
    /// Cuts pages from the text of a JSON array of unescaped strings in strictly ascending code point order and returns
    /// how many names it holds; -1 (pages half made) at anything else: an escape, a name out of order or twice, text
    /// that is not such an array (for the parser to name).
    /// </summary>
    private static int SliceInOrder(string json, List<Page> pages)
    {
        var text = json.AsSpan();
        var i = SkipSpace(text, 0);
        if (i == text.Length || text[i] != '[')
        {
            return -1;
        }

        i = SkipSpace(text, i + 1);
        if (i < text.Length && text[i] == ']')
        {
            return SkipSpace(text, i + 1) == text.Length ? 0 : -1;
        }

        var count = 0;
        var pageStart = 0;
        var first = "";
        var previous = ReadOnlySpan<char>.Empty;
        while (i < text.Length && text[i] == '"')
        {
            var length = text[(i + 1)..].IndexOfAny(StringEnds);
            if (length < 0 || text[i + 1 + length] != '"')
            {
                return -1; // unterminated, escaped, or a raw control character
            }

            var name = text.Slice(i + 1, length);
            if (count > 0 && Compare(previous, name) >= 0)
            {
                return -1;
            }

            if (count % Size == 0)
            {
                pageStart = i;
                first = name.ToString();
            }

            var end = i + length + 2;
            previous = name;
            count++;
            i = SkipSpace(text, end);
            var last = i < text.Length && text[i] == ']';
            if (count % Size == 0 || last)
            {
                pages.Add(new Page(first, (count - 1) % Size + 1, string.Concat("[", text[pageStart..end], "]")));
            }

            if (last)
            {
                return SkipSpace(text, i + 1) == text.Length ? count : -1;
            }

            if (i == text.Length || text[i] != ',')
            {
                return -1;
            }

            i = SkipSpace(text, i + 1);
        }

        return -1;
    }

    private static int SkipSpace(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r')
        {
            i++;
        }

        return i;
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
        public int Compare(string? x, string? y) =>
            x is null || y is null ? (x is null ? (y is null ? 0 : -1) : 1) : RecipientPages.Compare(x, y);
    }

    /// <summary>
    /// Code point order: the first difference (vectorised), then its code points; UTF-16 puts surrogates (U+D800-DFFF,
    /// characters beyond U+FFFF) below U+E000-FFFF, code points put them above.
    /// </summary>
    private static int Compare(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        var i = x.CommonPrefixLength(y);
        return i == x.Length || i == y.Length ? x.Length.CompareTo(y.Length) : Weight(x[i]).CompareTo(Weight(y[i]));
    }

    private static int Weight(char c) => char.IsSurrogate(c) ? c + 0x10000 : c;
}
