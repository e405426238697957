using System.Text.Json;
using CsCheck;
using LinkTracker.Core.Segments;

namespace LinkTracker.Tests.Segments;

/// <summary>
/// Cutting a run's recipients into pages (ADR 29) against a plain model: the set sorted by UTF-8 bytes, in slices of
/// 1,000, each slice's JSON read back with System.Text.Json; whatever order the recipients came in (a hash plan's, or
/// already sorted, as SQLite's GROUP BY yields them: ADR 30).
/// </summary>
public sealed class RecipientPagesTests
{
    /// <summary>Pieces that need JSON escaping, that sort differently in UTF-16 and by code point, and plain ones.</summary>
    private static readonly Gen<string> AName = Gen.OneOf(
        Gen.Int[0, 5_000].Select(i => "r" + i + "@example.com"),
        Gen.OneOf<string>("a", "Z", "é", "\uE000", "\uFFFD", "😀", "𝄞", " ", "\"", "\\", "<", "+", "\n", "\u007f", "~").Array[1, 4].Select(p => string.Concat(p)));

    private static readonly Gen<List<string>> ASet = Gen.Int[0, 2_600].SelectMany(n => AName.Array[n])
        .Select(names => names.Distinct(StringComparer.Ordinal).ToList());

    [Fact]
    public void Pages_hold_the_recipients_in_byte_order_whether_they_came_sorted_or_not() =>
        Gen.Select(ASet, Gen.Bool).Sample((names, presorted) =>
        {
            var model = names.OrderBy(n => System.Text.Encoding.UTF8.GetBytes(n), ByteOrder.Instance).ToList();
            var input = presorted ? [.. model] : names.OrderBy(n => n.GetHashCode(StringComparison.Ordinal)).ToList();

            var pages = RecipientPages.Cut(input);

            Assert.Equal(model, pages.SelectMany(p => JsonSerializer.Deserialize<string[]>(p.Recipients)!));
            Assert.Equal(model.Chunk(RecipientPages.Size).Select(c => (c[0], c.Length)), pages.Select(p => (p.First, p.Count)));
        }, iter: 200);

    /// <summary>As a list and as json_agg's text (an escaped name there takes the parsed path, a plain one the slices first).</summary>
    [Theory]
    [InlineData("a,b,b", "b")]
    [InlineData("b,a,b", "b")]
    [InlineData("x,x", "x")]
    [InlineData("x\",x\"", "x\"")]
    public void A_recipient_twice_is_refused_in_any_order_and_named(string names, string twice)
    {
        var list = names.Split(',');
        var json = "[" + string.Join(", ", list.Select(PostgresJson)) + "]";

        Assert.Contains($"'{twice}' appears twice", Assert.Throws<ArgumentException>(() => RecipientPages.Cut([.. list])).Message, StringComparison.Ordinal);
        Assert.Contains($"'{twice}' appears twice", Assert.Throws<ArgumentException>(() => RecipientPages.Cut(json)).Message, StringComparison.Ordinal);
    }

    /// <summary>A set, or one with no name PostgreSQL escapes (most of them would hold one: the slices then are not tried).</summary>
    private static readonly Gen<List<string>> ASetToSlice = Gen.OneOf(
        ASet, ASet.Select(names => names.Where(n => !n.Any(c => c is '"' or '\\' or < ' ')).ToList()));

    [Fact]
    public void A_json_array_is_cut_into_the_pages_of_its_names_however_it_is_written() =>
        Gen.Select(ASetToSlice, Gen.Bool, Gen.Bool).Sample((names, presorted, postgres) =>
        {
            var input = presorted ? [.. names.Order(RecipientPages.Order)] : names.OrderBy(n => n.GetHashCode(StringComparison.Ordinal)).ToList();
            // As PostgreSQL's json_agg writes it (", " between, only quotes, backslashes and control characters
            // escaped), or as System.Text.Json does (non-ASCII escaped too).
            var json = postgres ? "[" + string.Join(", ", input.Select(PostgresJson)) + "]" : JsonSerializer.Serialize(input);
            var model = RecipientPages.Cut([.. names]);

            var (pages, count) = RecipientPages.Cut(json);

            Assert.Equal(names.Count, count);
            Assert.Equal(model.SelectMany(p => RecipientPages.Read(p.Recipients)), pages.SelectMany(p => RecipientPages.Read(p.Recipients)));
            Assert.Equal(model.Select(p => (p.First, p.Count)), pages.Select(p => (p.First, p.Count)));
        }, iter: 300);

    [Fact]
    public void Sorted_unescaped_names_are_cut_as_slices_of_the_text() =>
        Gen.Int[0, 2_600].SelectMany(n => Gen.Int[0, 1_000_000].Array[n]).Sample(numbers =>
        {
            var names = numbers.Distinct().Select(i => $"r{i}@example.com").Order(RecipientPages.Order).ToList();

            var (pages, _) = RecipientPages.Cut("[" + string.Join(", ", names.Select(PostgresJson)) + "]");

            // Not re-written (that path joins with "," alone): each page is the text between its first and last quote.
            Assert.Equal(names.Chunk(RecipientPages.Size).Select(c => "[" + string.Join(", ", c.Select(PostgresJson)) + "]"), pages.Select(p => p.Recipients));
        }, iter: 50);

    [Theory]
    [InlineData("[\"a\", 1]")]
    [InlineData("[\"a\"")]
    [InlineData("[\"a\" \"b\"]")]
    [InlineData("[\"a\"] x")]
    [InlineData("{\"a\": \"b\"}")]
    [InlineData("[\"a\u0001\"]")]
    public void Text_that_is_not_a_json_array_of_names_is_refused(string json) =>
        Assert.ThrowsAny<JsonException>(() => RecipientPages.Cut(json));

    [Theory]
    [InlineData("[]")]
    [InlineData(" [ ] ")]
    public void An_empty_array_has_no_pages(string json)
    {
        var (pages, count) = RecipientPages.Cut(json);

        Assert.Equal((0, 0), (pages.Count, count));
    }

    /// <summary>A name as PostgreSQL's json_agg writes it: quote, backslash and control characters escaped, the rest as it is.</summary>
    private static string PostgresJson(string name)
    {
        var json = new System.Text.StringBuilder("\"");
        foreach (var c in name)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                '\n' => json.Append("\\n"),
                < ' ' => json.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => json.Append(c),
            };
        }

        return json.Append('"').ToString();
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
