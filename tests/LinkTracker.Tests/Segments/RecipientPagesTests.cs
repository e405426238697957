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

    [Theory]
    [InlineData("a,b,b", "b")]
    [InlineData("b,a,b", "b")]
    [InlineData("x,x", "x")]
    public void A_recipient_twice_is_refused_in_any_order_and_named(string names, string twice) =>
        Assert.Contains($"'{twice}' appears twice", Assert.Throws<ArgumentException>(() => RecipientPages.Cut([.. names.Split(',')])).Message, StringComparison.Ordinal);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
