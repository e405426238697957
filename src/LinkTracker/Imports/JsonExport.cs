using System.Text.Json;

namespace LinkTracker.Imports;

/// <summary>
/// The JSON exports, as their APIs return them (one page, or several pages' items in one array): YOURLS's stats
/// (links.link_1 ...), Kutt's links (data[]) and Shlink's short URLs (shortUrls.data[]). Numbers may come as strings.
/// </summary>
internal static class JsonExport
{
    public static async Task<IReadOnlyList<ImportRow>> ReadAsync(ImportFormat format, Stream stream, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new ImportFileException($"The file is not valid JSON ({e.Message}). Give the API's response as it came, or use a CSV export.");
        }

        using (document)
        {
            var items = Items(format, document.RootElement);
            var rows = new List<ImportRow>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                rows.Add(items[i].ValueKind == JsonValueKind.Object
                    ? Read(format, i + 1, items[i])
                    : new ImportRow(i + 1, null, null, Problem: "The item is not a JSON object."));
            }

            return rows;
        }
    }

    private static List<JsonElement> Items(ImportFormat format, JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return [.. root.EnumerateArray()];
        }

        var list = format switch
        {
            ImportFormat.Yourls when Property(root, "links") is { ValueKind: JsonValueKind.Object } links =>
                links.EnumerateObject().Select(p => p.Value).ToList(),
            ImportFormat.Shlink when Property(root, "shortUrls") is { } shortUrls && Property(shortUrls, "data") is { ValueKind: JsonValueKind.Array } data =>
                data.EnumerateArray().ToList(),
            ImportFormat.Kutt or ImportFormat.Shlink when Property(root, "data") is { ValueKind: JsonValueKind.Array } data =>
                data.EnumerateArray().ToList(),
            _ => null,
        };
        return list ?? throw new ImportFileException(format switch
        {
            ImportFormat.Yourls => "A YOURLS JSON export is the API's stats answer: an object with \"links\": {\"link_1\": {...}, ...}.",
            ImportFormat.Kutt => "A Kutt JSON export is the links API's answer: an object with \"data\": [...], or an array of its items.",
            _ => "A Shlink JSON export is the short URLs API's answer: an object with \"shortUrls\": {\"data\": [...]}, or an array of its items.",
        });
    }

    private static ImportRow Read(ImportFormat format, int position, JsonElement item)
    {
        var values = new ImportValues();
        switch (format)
        {
            case ImportFormat.Yourls:
                {
                    var code = String(item, "keyword") ?? LastSegment(String(item, "shorturl"));
                    var clicks = values.Count(String(item, "clicks"), "clicks");
                    return new ImportRow(position, code, String(item, "url"), Title: String(item, "title"),
                        CreatedAt: values.Time(String(item, "timestamp"), "timestamp"), Clicks: clicks, HumanClicks: clicks, Problem: values.Problem);
                }

            case ImportFormat.Kutt:
                {
                    if (Property(item, "password") is { ValueKind: JsonValueKind.True })
                    {
                        values.Add("The link is password-protected in Kutt; LinkTracker has no link passwords, so importing it would make it public.");
                    }

                    var clicks = values.Count(String(item, "visit_count"), "visit_count");
                    return new ImportRow(position, String(item, "address"), String(item, "target"), Title: String(item, "description"),
                        CreatedAt: values.Time(String(item, "created_at"), "created_at"), Clicks: clicks, HumanClicks: clicks,
                        ExpiresAt: values.Time(String(item, "expire_in"), "expire_in"),
                        Disabled: Property(item, "banned") is { ValueKind: JsonValueKind.True }, Problem: values.Problem);
                }

            default:
                {
                    var summary = Property(item, "visitsSummary");
                    var total = values.Count(summary is { } s ? String(s, "total") : String(item, "visitsCount"), "visitsSummary.total");
                    var human = summary is { } t ? values.Count(String(t, "nonBots"), "visitsSummary.nonBots") : total;
                    var tags = Property(item, "tags") is { ValueKind: JsonValueKind.Array } array
                        ? array.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
                        : null;
                    var validUntil = Property(item, "meta") is { } meta ? String(meta, "validUntil") : null;
                    return new ImportRow(position, String(item, "shortCode"), String(item, "longUrl"), Tags: tags is { Count: > 0 } ? tags : null,
                        CreatedAt: values.Time(String(item, "dateCreated"), "dateCreated"), Title: String(item, "title"), Clicks: total,
                        HumanClicks: human ?? total, ExpiresAt: values.Time(validUntil, "meta.validUntil"), Problem: values.Problem);
                }
        }
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string or number property as text; null when absent, null or empty.</summary>
    private static string? String(JsonElement element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.String } s => ImportValues.Text(s.GetString()),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { } other => other.GetRawText(),
        null => null,
    };

    private static string? LastSegment(string? url)
    {
        var trimmed = url?.TrimEnd('/');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

}
