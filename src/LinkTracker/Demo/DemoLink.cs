namespace LinkTracker.Demo;

/// <summary>One link of the demo data: its campaign's traffic starts on <paramref name="FirstDay"/> (0 = 30 days ago) with <paramref name="Weight"/>.</summary>
public sealed record DemoLink(string Code, string Destination, string? Campaign, IReadOnlyList<string> Tags, int FirstDay, double Weight);
