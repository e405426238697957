namespace LinkTracker.Imports;

/// <summary>
/// The CSV exports: LinkTracker's own, YOURLS's yourls_url table and Shlink's web client export. The header row names
/// the columns, in any order and case; columns LinkTracker has no use for (ip, domain, shortUrl) are ignored.
/// </summary>
internal static class CsvExport
{
    private sealed record Columns(string Code, string Url, string? Campaign, string? Tags, string? CreatedAt, string? Title, string? Clicks, bool CommaTags);

    private static readonly Columns LinkTracker = new("code", "url", "campaign", "tags", "createdAt", "title", "clicks", CommaTags: false);
    private static readonly Columns Yourls = new("keyword", "url", null, null, "timestamp", "title", "clicks", CommaTags: false);
    private static readonly Columns Shlink = new("shortCode", "longUrl", null, "tags", "createdAt", "title", "visits", CommaTags: true);

    public static async IAsyncEnumerable<ImportRow> ReadAsync(
        ImportFormat format, TextReader text, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = format switch
        {
            ImportFormat.Yourls => Yourls,
            ImportFormat.Shlink => Shlink,
            _ => LinkTracker,
        };
        var records = new CsvRecords(text);
        var header = await records.ReadAsync(cancellationToken)
            ?? throw new ImportFileException("The file is empty: a CSV export starts with a header row naming its columns.");
        var index = header.Fields
            .Select((name, i) => (Name: name.Trim().TrimStart('\uFEFF'), i))
            .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);
        foreach (var required in (string[])[columns.Code, columns.Url])
        {
            if (!index.ContainsKey(required))
            {
                throw new ImportFileException(
                    $"The header row has no '{required}' column (it has: {string.Join(",", header.Fields)}). "
                    + $"A {format.ToString().ToLowerInvariant()} export needs at least {columns.Code},{columns.Url}; see docs/import.md.");
            }
        }

        while (await records.ReadAsync(cancellationToken) is { } record)
        {
            if (record.Fields is [""])
            {
                continue; // a blank line
            }

            string? Get(string? column) => column is not null && index.TryGetValue(column, out var i) && i < record.Fields.Count ? record.Fields[i] : null;
            var values = new ImportValues();
            if (record.Fields.Count < header.Fields.Count)
            {
                values.Add($"The row has {record.Fields.Count} fields where the header has {header.Fields.Count}; check for an unquoted comma or a cut line.");
            }

            var clicks = values.Count(Get(columns.Clicks), columns.Clicks ?? "clicks");
            yield return new ImportRow(
                record.Line,
                ImportValues.Text(Get(columns.Code)),
                ImportValues.Text(Get(columns.Url)),
                Campaign: ImportValues.Text(Get(columns.Campaign)),
                Tags: ImportValues.Tags(Get(columns.Tags), columns.CommaTags),
                CreatedAt: values.Time(Get(columns.CreatedAt), columns.CreatedAt ?? "createdAt"),
                Title: ImportValues.Text(Get(columns.Title)),
                Clicks: clicks,
                HumanClicks: clicks,
                Problem: values.Problem);
        }
    }
}
