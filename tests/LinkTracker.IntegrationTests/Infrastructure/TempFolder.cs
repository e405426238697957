namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>A temporary folder removed at the end of a test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("linktracker-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
