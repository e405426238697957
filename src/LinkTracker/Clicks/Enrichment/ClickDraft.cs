using System.Net;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>A click on its way through the enrichment stage: the raw click and what the enrichers have set so far.</summary>
public sealed class ClickDraft(Click raw)
{
    private IPAddress? _address;
    private bool _parsed;

    public Click Raw { get; } = raw;

    public ClickFlags Flags { get; private set; } = raw.Flags;

    public string? Reason { get; private set; }

    public string? Device { get; set; }

    public string? Browser { get; set; }

    public string? Os { get; set; }

    public string? Country { get; set; }

    public string? City { get; set; }

    /// <summary>The client's full address until <see cref="AddressTruncation"/> replaces it with its network part.</summary>
    public string? ClientAddress { get; set; } = raw.ClientAddress;

    public bool IsHuman => (Flags & ClickFlags.NonHuman) == 0;

    /// <summary>The client's full address, parsed once for every enricher that needs it; null once truncated or when absent.</summary>
    public IPAddress? Address
    {
        get
        {
            if (!_parsed)
            {
                _parsed = true;
                _address = IPAddress.TryParse(Raw.ClientAddress, out var address) ? address : null;
            }

            return ReferenceEquals(ClientAddress, Raw.ClientAddress) ? _address : null;
        }
    }

    /// <summary>Marks the click non-human; the first reason given stays the reason.</summary>
    public void MarkNonHuman(ClickFlags flag, string reason)
    {
        Flags |= flag;
        Reason ??= reason;
    }

    public Click ToClick() => Raw with
    {
        Flags = Flags,
        ClientAddress = ClientAddress,
        Reason = IsHuman ? null : Reason,
        Device = Device,
        Browser = Browser,
        Os = Os,
        Country = Country,
        City = City,
    };
}
