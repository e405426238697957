using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// The last enricher: keeps only the network part of the client's address (Capture:IPv4PrefixLength / IPv6PrefixLength),
/// so the full address lives only in the journal and the broker until the click is written (ADR 19).
/// </summary>
public sealed class AddressTruncation(IOptions<CaptureOptions> options) : IClickEnricher
{
    private readonly CaptureOptions _options = options.Value;

    public int Order => int.MaxValue;

    public void Enrich(string tenant, IReadOnlyList<ClickDraft> clicks)
    {
        foreach (var click in clicks)
        {
            // An address that does not parse (never written by an edge) is dropped rather than kept as it came.
            click.ClientAddress = ClientAddress.Truncate(click.Address, _options.IPv4PrefixLength, _options.IPv6PrefixLength);
        }
    }
}
