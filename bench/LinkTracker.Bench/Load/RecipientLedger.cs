using System.Globalization;

namespace LinkTracker.Bench.Load;

/// <summary>
/// Mints a distinct recipient per request (prefix + number) and remembers which ones got their 302,
/// so storage can be checked click by click afterwards: lost = acknowledged but never stored.
/// </summary>
public sealed class RecipientLedger(string prefix)
{
    private readonly BitSet _acknowledged = new();
    private long _next = -1;
    private long _acknowledgedCount;

    public string Prefix { get; } = prefix;

    /// <summary>Recipients handed out so far.</summary>
    public long Issued => Interlocked.Read(ref _next) + 1;

    /// <summary>Redirects (302) received.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledgedCount);

    public long Next() => Interlocked.Increment(ref _next);

    public string Recipient(long id) => Prefix + id.ToString(CultureInfo.InvariantCulture);

    public void MarkAcknowledged(long id)
    {
        if (_acknowledged.Add(id))
        {
            Interlocked.Increment(ref _acknowledgedCount);
        }
    }

    public bool IsAcknowledged(long id) => _acknowledged.Contains(id);

    /// <summary>The number of a recipient minted by this ledger; false for anyone else's.</summary>
    public bool TryParse(string? recipient, out long id)
    {
        id = -1;
        return recipient is not null && recipient.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(recipient.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
