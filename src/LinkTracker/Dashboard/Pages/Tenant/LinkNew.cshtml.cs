using System.Globalization;
using LinkTracker.Links;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>Creates one link or a pasted list through the API's own <see cref="LinkService"/>: same rules, all or none.</summary>
[Authorize(Policy = DashboardAuthentication.EditorPolicy)]
public sealed class LinkNewModel(LinkService links) : TenantPageModel
{
    public string? Destination { get; private set; }

    public string? Code { get; private set; }

    public string? Tags { get; private set; }

    public string? Campaign { get; private set; }

    public string? ExpiresAt { get; private set; }

    public string? List { get; private set; }

    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostOneAsync(string? url, string? code, string? tags, string? campaign, string? expiresAt, CancellationToken cancellationToken)
    {
        (Destination, Code, Tags, Campaign, ExpiresAt) = (url, code, tags, campaign, expiresAt);
        DateTimeOffset? expiry = null;
        if (!string.IsNullOrWhiteSpace(expiresAt))
        {
            if (!DateTime.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            {
                Errors["expiresAt"] = ["Give the expiry as a date and time, e.g. 2030-01-31T23:59."];
                return Invalid();
            }

            expiry = new DateTimeOffset(at, TimeSpan.Zero);
        }

        var request = new CreateLinkRequest(url, Blank(code), SplitTags(tags), Blank(campaign), expiry);
        return await CreateAsync([request], batch: false, cancellationToken);
    }

    public async Task<IActionResult> OnPostBatchAsync(string? list, string? tags, string? campaign, CancellationToken cancellationToken)
    {
        (List, Tags, Campaign) = (list, tags, campaign);
        var urls = (list ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (urls.Length is 0 or > LinkService.MaxBatch)
        {
            Errors["list"] = [$"Paste 1 to {LinkService.MaxBatch} destinations, one per line; split larger lists."];
            return Invalid();
        }

        var split = SplitTags(tags);
        return await CreateAsync([.. urls.Select(u => new CreateLinkRequest(u, null, split, Blank(campaign)))], batch: true, cancellationToken);
    }

    private async Task<IActionResult> CreateAsync(IReadOnlyList<CreateLinkRequest> requests, bool batch, CancellationToken cancellationToken)
    {
        var outcome = await links.CreateAsync(Tenant.Slug, requests, batch, cancellationToken);
        if (!outcome.Succeeded)
        {
            // "links[3].url" reads better as "line 4: url" on a pasted list.
            Errors = outcome.Errors.ToDictionary(e => LineName(e.Key), e => e.Value);
            return Invalid(outcome.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }

        TempData["Message"] = outcome.Links.Count == 1 ? $"Link {outcome.Links[0].Code} created." : $"{outcome.Links.Count} links created.";
        return outcome.Links.Count == 1 ? LocalRedirect("/dashboard/links/" + outcome.Links[0].Code) : LocalRedirect("/dashboard/links");
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Invalid(int status = StatusCodes.Status400BadRequest)
    {
        Response.StatusCode = status;
        return Page();
    }

    private static string LineName(string field)
    {
        if (!field.StartsWith("links[", StringComparison.Ordinal) || field.IndexOf(']', StringComparison.Ordinal) is var end && end < 0)
        {
            return field;
        }

        return int.TryParse(field.AsSpan(6, end - 6), CultureInfo.InvariantCulture, out var index)
            ? $"line {index + 1}{field[(end + 1)..].Replace('.', ' ')}"
            : field;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string[]? SplitTags(string? tags) =>
        string.IsNullOrWhiteSpace(tags) ? null : tags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
