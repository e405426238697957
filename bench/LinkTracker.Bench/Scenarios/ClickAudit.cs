using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// Acknowledged redirects against what the service stored, once the writer has drained; and what was stored against
/// what the service says it captured and wrote (<see cref="Integrity.Writer"/>).
/// </summary>
public static class ClickAudit
{
    /// <summary>
    /// Several tenants' audits summed into one row: the service counts captured and written clicks per process, not per
    /// tenant, so this is the row that holds them.
    /// </summary>
    public static Integrity Combined(string label, IReadOnlyList<Integrity> audits, WriterCounts writer) => new(
        label, audits.Count == 0 ? "" : audits[0].Method + ", summed", audits.Sum(a => a.Acknowledged), audits.Sum(a => a.Stored),
        audits.Sum(a => a.Lost), audits.Sum(a => a.Duplicated), audits.Sum(a => a.StoredNotAcknowledged))
    {
        Writer = writer,
    };

    /// <summary>
    /// Reads every stored click of the links: lost = acknowledged recipients never stored; duplicated = stored
    /// clicks minus distinct recipients (each request had its own recipient).
    /// </summary>
    public static async Task<Integrity> ByListingAsync(TenantClient tenant, IReadOnlyList<string> codes, RecipientLedger ledger, CancellationToken cancellationToken)
    {
        var seen = new BitSet();
        long stored = 0, distinct = 0, distinctAcknowledged = 0, foreign = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(codes, options, async (code, token) =>
        {
            foreach (var click in await tenant.ListClicksAsync(code, token))
            {
                Interlocked.Increment(ref stored);
                if (!ledger.TryParse(click.Recipient, out var id))
                {
                    Interlocked.Increment(ref foreign);
                }
                else if (seen.Add(id))
                {
                    Interlocked.Increment(ref distinct);
                    if (ledger.IsAcknowledged(id))
                    {
                        Interlocked.Increment(ref distinctAcknowledged);
                    }
                }
            }
        });

        return new Integrity(
            tenant.Slug, "click listing", ledger.Acknowledged, stored, ledger.Acknowledged - distinctAcknowledged,
            stored - foreign - distinct, distinct - distinctAcknowledged + foreign);
    }

    /// <summary>
    /// From the stats totals (for many links, where listing is too slow): every click is human with its own
    /// recipient, so uniqueRecipients counts distinct stored clicks; lost = acknowledged − unique, duplicated = clicks − unique.
    /// </summary>
    public static async Task<Integrity> ByStatsAsync(TenantClient tenant, long acknowledged, CancellationToken cancellationToken)
    {
        var totals = (await tenant.GetTotalsAsync(cancellationToken)).Totals;
        return new Integrity(
            tenant.Slug, "stats totals", acknowledged, totals.Clicks, Math.Max(0, acknowledged - totals.UniqueRecipients),
            totals.Clicks - totals.UniqueRecipients, Math.Max(0, totals.UniqueRecipients - acknowledged));
    }

    /// <summary>
    /// Straight from PostgreSQL's rows (the distributed deployment): lost = acknowledged recipients with no row;
    /// duplicated = rows minus distinct recipients.
    /// </summary>
    public static async Task<Integrity> ByDatabaseAsync(BenchDatabase database, string tenant, RecipientLedger ledger, CancellationToken cancellationToken)
    {
        var seen = new BitSet();
        long distinct = 0, distinctAcknowledged = 0, foreign = 0;
        var recipients = await database.ReadRecipientsAsync(tenant, cancellationToken);
        foreach (var recipient in recipients)
        {
            if (!ledger.TryParse(recipient, out var id))
            {
                foreign++;
            }
            else if (seen.Add(id))
            {
                distinct++;
                distinctAcknowledged += ledger.IsAcknowledged(id) ? 1 : 0;
            }
        }

        return new Integrity(
            tenant, "PostgreSQL rows", ledger.Acknowledged, recipients.Count, ledger.Acknowledged - distinctAcknowledged,
            recipients.Count - foreign - distinct, distinct - distinctAcknowledged + foreign);
    }
}
