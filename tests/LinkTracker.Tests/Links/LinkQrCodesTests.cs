using System.Buffers.Binary;
using System.Text;
using LinkTracker.Links;

namespace LinkTracker.Tests.Links;

public class LinkQrCodesTests
{
    [Theory]
    [InlineData("gif", null, "format")]
    [InlineData(null, 63, "size")]
    [InlineData("svg", 2049, "size")]
    public void Refuses_what_is_not_offered_and_names_the_allowed_values(string? format, int? size, string field)
    {
        var errors = LinkQrCodes.Validate(format, size);

        var message = Assert.Single(errors[field]);
        Assert.Contains(field == "format" ? "png" : "2048", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(2048)]
    public void A_png_is_at_most_the_size_asked_and_not_much_smaller(int size)
    {
        var (png, type) = LinkQrCodes.Render("http://acme.links.example.com/Ab3x9Kq", "png", size);

        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)); // IHDR width
        Assert.Equal("image/png", type);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.InRange(width, size / 2, size);
    }

    [Fact]
    public void An_svg_is_the_default_and_different_urls_give_different_codes()
    {
        var (svg, type) = LinkQrCodes.Render("http://acme.localhost/a", null, null);
        var (other, _) = LinkQrCodes.Render("http://acme.localhost/b", null, null);

        Assert.Equal("image/svg+xml", type);
        Assert.StartsWith("<svg", Encoding.UTF8.GetString(svg).TrimStart(), StringComparison.Ordinal);
        Assert.NotEqual(svg, other);
    }
}
