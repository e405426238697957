using Microsoft.Extensions.FileProviders;

namespace LinkTracker.Dashboard;

/// <summary>The dashboard's static files (wwwroot/dashboard: Chart.js with its licence, CSS, the page script), embedded in the binary.</summary>
internal static class DashboardAssets
{
    private static readonly EmbeddedFileProvider Files = new(typeof(DashboardAssets).Assembly, "LinkTracker.Dashboard.Assets");

    public static IResult Get(string file, HttpContext context)
    {
        var info = Files.GetFileInfo(file);
        if (!info.Exists)
        {
            return TypedResults.NotFound();
        }

        // Immutable enough for an hour; a release changes the files with the binary.
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Stream(info.CreateReadStream(), ContentType(file));
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".md" => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    };
}
