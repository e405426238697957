using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>Device, browser and OS from the user agent; a crawler's device is "bot" whatever it imitates.</summary>
public sealed class DeviceEnricher(UserAgentFamilies families) : IClickEnricher
{
    public const string Bot = "bot";

    public int Order => 300;

    public void Enrich(string tenant, IReadOnlyList<ClickDraft> clicks)
    {
        foreach (var click in clicks)
        {
            if (string.IsNullOrWhiteSpace(click.Raw.UserAgent))
            {
                continue;
            }

            var family = families.Parse(click.Raw.UserAgent);
            click.Device = (click.Flags & ClickFlags.Bot) != 0 ? Bot : family.Device;
            click.Browser = family.Browser;
            click.Os = family.Os;
        }
    }
}
