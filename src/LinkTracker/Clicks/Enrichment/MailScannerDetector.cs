using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// Mail security scanners open every link of a message as it arrives: one recipient, many links, one network, within
/// seconds. A click is flagged "mail-scanner" when, counting it, its recipient opened at least MailScannerLinks distinct
/// links from the same /24 (IPv4) or /48 (IPv6) within MailScannerWindow before it. Only earlier clicks count, so the
/// verdict does not depend on how clicks were batched; the first links of a sweep stay counted (ADR 17).
/// </summary>
/// <remarks>
/// Remembers each tenant's recent clicks per recipient and network in this process, across batches. Forgetting scans
/// everything remembered, so it runs at most once per window of click time: with a distinct recipient per click (a
/// blast) a scan per batch made the writer's cost grow with the clicks of the last minutes (#16's profile: 8 % of the
/// server's CPU under load).
/// </remarks>
public sealed class MailScannerDetector(IOptions<EnrichmentOptions> options) : IClickEnricher
{
    public const string Reason = "mail-scanner";
    private const int PruneAbove = 10_000;

    private readonly EnrichmentOptions _options = options.Value;
    private readonly Dictionary<(string Tenant, string Recipient, string Network), List<Seen>> _recent = [];
    private readonly Lock _lock = new();
    private DateTimeOffset _latest = DateTimeOffset.MinValue;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    public int Order => 200;

    public void Enrich(string tenant, IReadOnlyList<ClickDraft> clicks)
    {
        lock (_lock)
        {
            foreach (var click in clicks)
            {
                if (click.Raw.Recipient is not { } recipient || click.Address is not { } address)
                {
                    continue;
                }

                var at = click.Raw.At;
                var key = (tenant, recipient, ClientAddress.Truncate(address, 24, 48)!);
                if (!_recent.TryGetValue(key, out var seen))
                {
                    _recent[key] = seen = [];
                }

                if (IsSweep(seen, click.Raw, at))
                {
                    click.MarkNonHuman(ClickFlags.MailScanner, Reason);
                }

                if (!seen.Exists(s => s.Id == click.Raw.Id))
                {
                    seen.Add(new Seen(click.Raw.Id, at, click.Raw.Code));
                }

                _latest = at > _latest ? at : _latest;
            }

            if (_recent.Count > PruneAbove && _latest >= _nextPrune)
            {
                Prune();
                _nextPrune = _latest + _options.MailScannerWindow;
                PrunePasses++;
            }
        }
    }

    /// <summary>Recipient-and-network keys remembered (for tests).</summary>
    internal int Remembered
    {
        get
        {
            lock (_lock)
            {
                return _recent.Count;
            }
        }
    }

    /// <summary>Scans of everything remembered so far (for tests).</summary>
    internal int PrunePasses { get; private set; }

    private bool IsSweep(List<Seen> seen, Click click, DateTimeOffset at)
    {
        var from = at - _options.MailScannerWindow;
        HashSet<string>? codes = null;
        foreach (var earlier in seen)
        {
            // Strictly earlier by (time, id): a replayed click sees exactly what it saw the first time.
            var before = earlier.At < at || (earlier.At == at && earlier.Id.CompareTo(click.Id) < 0);
            if (before && earlier.At >= from && earlier.Code != click.Code)
            {
                (codes ??= new HashSet<string>(StringComparer.Ordinal)).Add(earlier.Code);
            }
        }

        return codes is not null && codes.Count + 1 >= _options.MailScannerLinks;
    }

    private void Prune()
    {
        var horizon = _latest - _options.MailScannerWindow - _options.MailScannerWindow;
        foreach (var (key, seen) in _recent)
        {
            seen.RemoveAll(s => s.At < horizon);
            if (seen.Count == 0)
            {
                _recent.Remove(key);
            }
        }
    }

    private readonly record struct Seen(Guid Id, DateTimeOffset At, string Code);
}
