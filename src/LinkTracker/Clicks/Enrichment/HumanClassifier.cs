using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// First enricher: a click is non-human when it was a HEAD request or a prefetch (raw facts from the edge), or its user
/// agent is missing or on the crawler list. Every click is kept; the reason says why it is not counted as a person's.
/// </summary>
public sealed class HumanClassifier(CrawlerList crawlers) : IClickEnricher
{
    public const string Head = "head";
    public const string Prefetch = "prefetch";
    public const string Crawler = "crawler";
    public const string NoUserAgent = "no-user-agent";

    public int Order => 100;

    public void Enrich(string tenant, IReadOnlyList<ClickDraft> clicks)
    {
        foreach (var click in clicks)
        {
            if ((click.Flags & ClickFlags.Head) != 0)
            {
                click.MarkNonHuman(ClickFlags.Head, Head);
            }

            if ((click.Flags & ClickFlags.Prefetch) != 0)
            {
                click.MarkNonHuman(ClickFlags.Prefetch, Prefetch);
            }

            var userAgent = click.Raw.UserAgent;
            if (string.IsNullOrWhiteSpace(userAgent))
            {
                click.MarkNonHuman(ClickFlags.Bot, NoUserAgent);
            }
            else if ((click.Flags & ClickFlags.Bot) != 0 || crawlers.IsCrawler(userAgent))
            {
                // A Bot flag already set came from an edge of an earlier release, which classified on its own.
                click.MarkNonHuman(ClickFlags.Bot, Crawler);
            }
        }
    }
}
