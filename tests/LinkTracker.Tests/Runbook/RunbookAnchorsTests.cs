using System.Reflection;
using System.Text.RegularExpressions;
using LinkTracker.Runbook.Doctor;

namespace LinkTracker.Tests.Runbook;

/// <summary>Every runbook section the doctor can link to exists in docs/runbook.md as a stable anchor.</summary>
public sealed partial class RunbookAnchorsTests
{
    [Fact]
    public void Every_section_the_doctor_links_to_has_its_anchor_in_the_runbook()
    {
        var anchors = Anchors();
        var links = typeof(RunbookSections).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(RunbookSections.Document))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(links.Order(), RunbookSections.All.Order()); // All is what the checks and tests rely on
        Assert.All(links, link =>
        {
            Assert.StartsWith(RunbookSections.Document + "#", link, StringComparison.Ordinal);
            Assert.Contains(link[(RunbookSections.Document.Length + 1)..], anchors);
        });
    }

    /// <summary>The &lt;a id="..."&gt; anchors of docs/runbook.md (also used by the integration tests for emitted problems).</summary>
    public static HashSet<string> Anchors()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "LinkTracker.slnx")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        var text = File.ReadAllText(Path.Combine(folder.FullName, "docs", "runbook.md"));
        return [.. AnchorPattern().Matches(text).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("<a id=\"([a-z0-9-]+)\"></a>")]
    private static partial Regex AnchorPattern();
}
