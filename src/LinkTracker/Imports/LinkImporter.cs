using System.Globalization;
using System.Text.RegularExpressions;
using LinkTracker.Core.Links;
using LinkTracker.Core.Tenants;
using LinkTracker.Links;

namespace LinkTracker.Imports;

/// <summary>
/// Imports an export batch by batch. Each row is checked with the links' own rules; codes the tenant has with the same
/// destination are left as they are, other taken codes are rejected; new links are created through
/// <see cref="LinkService"/>, a batch all or nothing, so a run that stops is resumed by running it again. Past clicks
/// then go to the import ledger, which adds them to the rollups once.
/// </summary>
public sealed partial class LinkImporter(LinkService links, ILinkImportStore store, ICatalogStore catalog, TimeProvider time)
{
    private const int CreateAttempts = 3;

    /// <exception cref="ImportFileException">The file cannot be imported at all, or there is no such tenant.</exception>
    public async Task<ImportReport> ImportAsync(
        string tenant, ImportFormat format, Stream file, ImportSettings settings, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        if (settings.BatchSize is < 1 or > LinkService.MaxBatch)
        {
            throw new ImportFileException($"The batch size is 1 to {LinkService.MaxBatch} rows.");
        }

        await catalog.MigrateAsync(cancellationToken);
        if (!(await catalog.ListTenantsAsync(cancellationToken)).Any(t => t.Slug == tenant))
        {
            throw new ImportFileException($"There is no tenant '{tenant}'. See 'linktracker tenants list'.");
        }

        // The ledger came with a tenant migration: a schema one version behind refuses here, before any link is written.
        await store.FindRecordAsync(tenant, string.Empty, cancellationToken);

        var run = new Run(tenant, format.ToString().ToLowerInvariant(), settings.DryRun);
        var reader = new ExportReader(format, file);
        var batch = new List<ImportRow>(settings.BatchSize);
        await foreach (var row in reader.ReadAsync(cancellationToken))
        {
            run.Rows++;
            batch.Add(row);
            if (batch.Count == settings.BatchSize)
            {
                await ImportBatchAsync(run, batch, cancellationToken);
                batch.Clear();
                progress?.Invoke(new ImportProgress(run.Rows, reader.Done, run.Created, run.Unchanged, run.Rejected.Count));
            }
        }

        if (batch.Count > 0)
        {
            await ImportBatchAsync(run, batch, cancellationToken);
            progress?.Invoke(new ImportProgress(run.Rows, 1, run.Created, run.Unchanged, run.Rejected.Count));
        }

        return new ImportReport(settings.DryRun, run.Rows, run.Created, run.Unchanged, run.Duplicates, run.History, run.Clicks, run.Rejected);
    }

    private async Task ImportBatchAsync(Run run, List<ImportRow> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var candidates = new List<Candidate>(rows.Count);
        foreach (var row in rows)
        {
            if (Check(run, row, now) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }

        var kept = new List<(Candidate Row, string? Campaign)>();
        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.FindCodesAsync(run.Tenant, [.. candidates.Select(c => c.Code)], cancellationToken);
            var refused = new List<RejectedRow>();
            var create = new List<Candidate>();
            kept.Clear();
            foreach (var c in candidates)
            {
                if (!existing.TryGetValue(c.Code, out var taken))
                {
                    create.Add(c);
                }
                else if (taken.Deleted)
                {
                    refused.Add(Reject(c.Row, $"Code '{c.Code}' belonged to a link that was deleted; a deleted link keeps its code so its old clicks never attach to another link. Import the row under another code."));
                }
                else if (taken.Destination == c.Destination)
                {
                    kept.Add((c, taken.Campaign));
                }
                else
                {
                    refused.Add(Reject(c.Row, $"Code '{c.Code}' already points to {taken.Destination}, not to {c.Destination}. If the export is right, change the link through the API; otherwise leave the row out."));
                }
            }

            var outcome = run.DryRun || create.Count == 0
                ? null
                : await links.CreateAsync(run.Tenant, [.. create.Select(c => c.Request)], batch: true, cancellationToken);
            if (outcome is null || outcome.Succeeded)
            {
                run.Rejected.AddRange(refused);
                run.Created += create.Count;
                run.Unchanged += kept.Count;
                kept.AddRange(create.Select(c => (c, c.Row.Campaign)));
                break;
            }

            // Refused by the links' own checks (which the row checks mirror), or a code taken meanwhile: try the rest again.
            var failed = outcome.Errors
                .Select(e => (Index: ItemIndex().Match(e.Key), Messages: e.Value))
                .Where(e => e.Index.Success)
                .GroupBy(e => int.Parse(e.Index.Groups[1].Value, CultureInfo.InvariantCulture))
                .ToDictionary(g => g.Key, g => string.Join(" ", g.SelectMany(e => e.Messages)));
            if (outcome.Conflict && attempt < CreateAttempts)
            {
                continue;
            }

            if (failed.Count == 0)
            {
                // Not about one row: refuse the batch's new rows rather than try them again forever.
                var reason = string.Join(" ", outcome.Errors.SelectMany(e => e.Value));
                failed = Enumerable.Range(0, create.Count).ToDictionary(i => i, _ => reason);
            }

            foreach (var (index, messages) in failed)
            {
                run.Rejected.Add(Reject(create[index].Row, messages));
                candidates.Remove(create[index]);
            }
        }

        if (!run.DryRun && kept.Count > 0)
        {
            var imported = kept.Select(k => new ImportedLink(
                k.Row.Code, run.Source, k.Row.Row.Title, k.Row.Row.CreatedAt, k.Row.Row.Clicks ?? 0,
                k.Row.Row.HumanClicks ?? k.Row.Row.Clicks ?? 0, ImportLedger.HourOf(k.Row.Row.CreatedAt ?? now), k.Campaign)).ToList();
            run.History += await store.RecordAsync(run.Tenant, imported, now, cancellationToken);
            run.Clicks += imported.Sum(i => i.Clicks);
        }
    }

    /// <returns>The row ready to create, or null when it was rejected or repeats an earlier row.</returns>
    private static Candidate? Check(Run run, ImportRow row, DateTimeOffset now)
    {
        if (row.Problem is not null)
        {
            run.Rejected.Add(Reject(row, row.Problem));
            return null;
        }

        if (row.Code is null)
        {
            run.Rejected.Add(Reject(row, "code is required: an import keeps the codes the old system handed out."));
            return null;
        }

        string?[] problems =
        [
            LinkCodes.Validate(row.Code),
            LinkRules.NormalizeDestination(row.Url, out var destination),
            LinkRules.ValidateTags(row.Tags),
            LinkRules.ValidateCampaign(row.Campaign),
            LinkRules.ValidateExpiry(row.ExpiresAt, now),
        ];
        if (problems.Any(p => p is not null))
        {
            run.Rejected.Add(Reject(row, string.Join(" ", problems.OfType<string>())));
            return null;
        }

        if (run.Seen.TryGetValue(row.Code, out var first))
        {
            if (first.Destination == destination)
            {
                run.Duplicates++;
            }
            else
            {
                run.Rejected.Add(Reject(row, $"Code '{row.Code}' appears earlier in the file (line {first.Line}) with another url; a code points to one destination."));
            }

            return null;
        }

        run.Seen[row.Code] = (row.Line, destination!);
        return new Candidate(row, row.Code, destination!,
            new CreateLinkRequest(row.Url, row.Code, row.Tags, row.Campaign, row.ExpiresAt, row.Disabled));
    }

    private static RejectedRow Reject(ImportRow row, string reason) => new(row.Line, row.Code, row.Url, reason);

    [GeneratedRegex(@"^links\[(\d+)\]")]
    private static partial Regex ItemIndex();

    private sealed record Candidate(ImportRow Row, string Code, string Destination, CreateLinkRequest Request);

    private sealed class Run(string tenant, string source, bool dryRun)
    {
        public string Tenant { get; } = tenant;

        public string Source { get; } = source;

        public bool DryRun { get; } = dryRun;

        public long Rows { get; set; }

        public int Created { get; set; }

        public int Unchanged { get; set; }

        public int Duplicates { get; set; }

        public int History { get; set; }

        public long Clicks { get; set; }

        public List<RejectedRow> Rejected { get; } = [];

        /// <summary>Each code's first accepted row in the file, to tell duplicates from contradictions.</summary>
        public Dictionary<string, (int Line, string Destination)> Seen { get; } = new(StringComparer.Ordinal);
    }
}
