using System.Globalization;
using QRCoder;

namespace LinkTracker.Links;

/// <summary>QR codes of short URLs, as SVG or PNG, with the largest whole module size that fits the requested size.</summary>
public static class LinkQrCodes
{
    public const int MinSize = 64;
    public const int MaxSize = 2048;
    public const int DefaultSize = 256;

    public static readonly string[] Formats = ["svg", "png"];

    /// <returns>Errors keyed by query parameter (empty when both are good), with the allowed values.</returns>
    public static Dictionary<string, string[]> Validate(string? format, int? size)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (format is not null && !Formats.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            errors["format"] = [$"format '{format}' is not offered; use svg (the default) or png."];
        }

        if (size is { } given && given is < MinSize or > MaxSize)
        {
            errors["size"] = [string.Create(CultureInfo.InvariantCulture, $"size is the image's width in pixels, {MinSize} to {MaxSize} (default {DefaultSize}); {given} is out of range.")];
        }

        return errors;
    }

    /// <returns>The image and its content type.</returns>
    public static (byte[] Content, string ContentType) Render(string shortUrl, string? format, int? size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(shortUrl, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix.Count; // with the quiet zone
        var pixelsPerModule = Math.Max(1, (size ?? DefaultSize) / modules);
        if (string.Equals(format, "png", StringComparison.OrdinalIgnoreCase))
        {
            using var png = new PngByteQRCode(data);
            return (png.GetGraphic(pixelsPerModule), "image/png");
        }

        using var svg = new SvgQRCode(data);
        return (System.Text.Encoding.UTF8.GetBytes(svg.GetGraphic(pixelsPerModule)), "image/svg+xml");
    }
}
