using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Links;
using LinkTracker.Links;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>Edits a link with the API's own merge-patch rules (<see cref="LinkPatch"/>) and <see cref="LinkService"/> (cache invalidation).</summary>
[Authorize(Policy = DashboardAuthentication.EditorPolicy)]
public sealed class LinkEditModel(ILinkStore store, LinkService links, TimeProvider time) : TenantPageModel
{
    public Link Link { get; private set; } = null!;

    public string? Destination { get; private set; }

    public string? Tags { get; private set; }

    public string? Campaign { get; private set; }

    public string? ExpiresAt { get; private set; }

    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync(string code, string? url, string? tags, string? campaign, string? expiresAt, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }

        (Destination, Tags, Campaign, ExpiresAt) = (url, tags, campaign, expiresAt);
        object? expiry = null;
        if (!string.IsNullOrWhiteSpace(expiresAt))
        {
            expiry = DateTime.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                ? new DateTimeOffset(at, TimeSpan.Zero)
                : expiresAt;
        }

        var patch = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["url"] = url ?? "",
            ["tags"] = (tags ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            ["campaign"] = string.IsNullOrWhiteSpace(campaign) ? null : campaign.Trim(),
            ["expiresAt"] = expiry,
        });
        return await ApplyAsync(patch, "Saved.", cancellationToken);
    }

    public async Task<IActionResult> OnPostDisableAsync(string code, bool disabled, CancellationToken cancellationToken) =>
        !await LoadAsync(code, cancellationToken)
            ? NotFound()
            : await ApplyAsync(JsonSerializer.SerializeToElement(new { disabled }), disabled ? "Disabled: the link answers 404 until enabled." : "Enabled.", cancellationToken);

    public async Task<IActionResult> OnPostExpireAsync(string code, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }

        // Expiring now is not a future expiry, so it bypasses the patch rule on purpose.
        await links.UpdateAsync(Tenant.Slug, Link with { ExpiresAt = time.GetUtcNow() }, cancellationToken);
        TempData["Message"] = "Expired: the link answers 410 Gone from now on.";
        return LocalRedirect("/dashboard/links/" + Link.Code);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string code, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }

        await links.DeleteAsync(Tenant.Slug, Link.Code, cancellationToken);
        TempData["Message"] = $"Link {Link.Code} deleted; its code stays reserved.";
        return LocalRedirect("/dashboard/links");
    }

    private async Task<bool> LoadAsync(string code, CancellationToken cancellationToken)
    {
        if (!LinkCodes.IsWellFormed(code) || await store.FindAsync(Tenant.Slug, code, cancellationToken) is not { } link)
        {
            return false;
        }

        Link = link;
        (Destination, Tags, Campaign) = (link.Destination, string.Join(", ", link.Tags), link.Campaign);
        ExpiresAt = link.ExpiresAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH':'mm", CultureInfo.InvariantCulture);
        return true;
    }

    private async Task<IActionResult> ApplyAsync(JsonElement patch, string message, CancellationToken cancellationToken)
    {
        var (changed, errors) = LinkPatch.Apply(Link, patch, time.GetUtcNow());
        if (changed is null)
        {
            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await links.UpdateAsync(Tenant.Slug, changed, cancellationToken);
        TempData["Message"] = message;
        return LocalRedirect("/dashboard/links/" + Link.Code);
    }
}
