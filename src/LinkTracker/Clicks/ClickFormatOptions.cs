using System.ComponentModel.DataAnnotations;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>The click format this process writes (ADR 11): the switch from one version to the next.</summary>
public sealed class ClickFormatOptions
{
    public const string Section = "ClickFormat";

    /// <summary>
    /// 1 (default) or 2. Set 2 only once every node runs a build that knows version 2, which carries a signed link's
    /// campaign (ADR 26): an older build reads version 2 but skips the campaign. An embedded deployment can set it at once.
    /// </summary>
    [Range(ClickCodec.OldestVersion, ClickCodec.CurrentVersion)]
    public int WriteVersion { get; set; } = ClickCodec.OldestVersion;
}
