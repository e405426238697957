using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>The data folder belongs to the service's user alone: folders 0700, files 0600, whatever was there before.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataAtRestTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Every_folder_is_0700_and_every_file_0600_after_traffic()
    {
        using var data = new TempFolder();
        // What an earlier release or a loose umask left: a readable folder and file.
        var old = Directory.CreateDirectory(Path.Combine(data.Path, "old"));
        var leftover = Path.Combine(old.FullName, "leftover.db");
        System.IO.File.WriteAllText(leftover, "x");
        System.IO.File.SetUnixFileMode(leftover, File | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        old.UnixFileMode = Folder | Others;
        new DirectoryInfo(data.Path).UnixFileMode = Folder | Others;

        await using (var service = await TestService.StartAsync($"Storage:DataDirectory={data.Path}"))
        {
            using var api = service.Client("acme", await service.AddTenantAsync("acme"));
            (await api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
            Assert.Equal(50, await Clicker.ClickAsync(api, 50, i => $"/a?r=at-rest-{i}"));
            await service.WaitForWriterAsync();

            var root = new DirectoryInfo(data.Path);
            Assert.Equal(Folder, root.UnixFileMode);
            var entries = root.EnumerateFileSystemInfos("*", SearchOption.AllDirectories).ToList();
            Assert.Contains(entries, e => e.Name.EndsWith(".seg", StringComparison.Ordinal));
            Assert.Contains(entries, e => e.Name == "acme.db");
            Assert.Contains(entries, e => e.Name == "leftover.db");
            Assert.All(entries, e => Assert.True(e.UnixFileMode == (e is DirectoryInfo ? Folder : File), $"{e.FullName} is {e.UnixFileMode}"));
        }
    }
}
