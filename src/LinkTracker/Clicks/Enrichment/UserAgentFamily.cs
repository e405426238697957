namespace LinkTracker.Clicks.Enrichment;

/// <summary>What a user agent says it runs on: "mobile"/"tablet"/"desktop"/"other", a browser family, an OS family.</summary>
public sealed record UserAgentFamily(string Device, string Browser, string Os);
