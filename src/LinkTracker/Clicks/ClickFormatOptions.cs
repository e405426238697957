using System.ComponentModel.DataAnnotations;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>The click format this process writes (ADR 11): the switch from one version to the next.</summary>
public sealed class ClickFormatOptions
{
    public const string Section = "ClickFormat";

    /// <summary>
    /// 2 (default) or 1. Version 2 carries a signed link's campaign (ADR 26); the previous release already reads it field by
    /// field, so a rolling upgrade from it may write 2 at once. Set 1 only to roll back to a release older than that one.
    /// </summary>
    [Range(ClickCodec.OldestVersion, ClickCodec.CurrentVersion)]
    public int WriteVersion { get; set; } = ClickCodec.CurrentVersion;
}
