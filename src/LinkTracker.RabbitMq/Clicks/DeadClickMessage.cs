namespace LinkTracker.RabbitMq.Clicks;

/// <summary>
/// A message in the click dead-letter queue, as an operator needs to judge it.
/// </summary>
/// <param name="Id">The message id the edge gave it (its first click's id), or "sha256:" and the start of its body's digest.</param>
/// <param name="Position">Where it stands in the dead queue when listed, 0 the oldest.</param>
/// <param name="Tenant">The tenant whose queue it came from, when known: a redrive sends it back there.</param>
/// <param name="Reason">Why the broker dead-lettered it: "rejected" (a writer could not read it), "delivery_limit" (its writers kept dying).</param>
/// <param name="Deaths">How many times it was dead-lettered (a redrive that failed again adds one).</param>
/// <param name="DiedAt">When it was last dead-lettered, to the second.</param>
/// <param name="Bytes">The body's size.</param>
/// <param name="FirstBytes">The body's first bytes in hex: the first is the click format version.</param>
/// <param name="Version">The click format version its first byte claims, or null for an empty body.</param>
/// <param name="Clicks">How many clicks this build reads in it, or null when it cannot read it.</param>
/// <param name="Problem">Why this build cannot read it, or null when it can (a newer writer fleet may still differ).</param>
public sealed record DeadClickMessage(
    string Id,
    int Position,
    string? Tenant,
    string? Reason,
    long Deaths,
    DateTimeOffset? DiedAt,
    int Bytes,
    string FirstBytes,
    int? Version,
    int? Clicks,
    string? Problem);
