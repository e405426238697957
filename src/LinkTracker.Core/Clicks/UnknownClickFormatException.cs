namespace LinkTracker.Core.Clicks;

/// <summary>
/// Click bytes in a format version this build does not read: written by a LinkTracker more than one version newer
/// (ADR 11). The bytes may well be intact, so whoever holds them keeps them for a build that reads them. Not an
/// <see cref="InvalidDataException"/> (that type is sealed, and this is no damage): readers catch both.
/// </summary>
public sealed class UnknownClickFormatException(int version)
    : Exception(
        $"Click format version {version} was written by a newer LinkTracker; this build reads versions {ClickCodec.OldestVersion} to {ClickCodec.NewestReadableVersion}. Keep the data for a build that knows version {version}.")
{
    /// <summary>The version byte found.</summary>
    public int Version { get; } = version;
}
