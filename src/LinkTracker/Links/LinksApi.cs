using System.Text.Json;
using LinkTracker.Api;
using LinkTracker.Core.Links;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Links;

public static class LinksApi
{
    public static RouteGroupBuilder MapLinksApi(this RouteGroupBuilder api)
    {
        var links = api.MapGroup("/links").WithTags("Links");
        links.MapPost("/", CreateLinkAsync).WithSummary("Create a link (code generated unless given)");
        links.MapPost("/batch", CreateLinksBatchAsync).WithSummary("Create up to 1,000 links at once, all or none");
        links.MapGet("/", ListLinksAsync).WithSummary("List links, newest first, with cursor paging; filter by tag, campaign and text (q)");
        links.MapGet("/{code}", GetLinkAsync).WithSummary("Read a link");
        links.MapGet("/{code}/qr", GetQrCodeAsync).WithSummary("The link's short URL as a QR code: format=svg|png, size=64..2048 pixels (default 256)");
        links.MapPatch("/{code}", UpdateLinkAsync).WithSummary("Change a link (JSON merge patch)");
        links.MapDelete("/{code}", DeleteLinkAsync).WithSummary("Delete a link; its code stays reserved and its stats stay");
        return api;
    }

    public static async Task<Results<Created<LinkResponse>, ValidationProblem, ProblemHttpResult>> CreateLinkAsync(
        CreateLinkRequest request, TenantContext tenant, LinkService links, HttpRequest http, CancellationToken cancellationToken)
    {
        var outcome = await links.CreateAsync(tenant.Slug, [request], batch: false, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Conflict ? Conflict(outcome.Errors) : TypedResults.ValidationProblem(outcome.Errors);
        }

        var link = LinkResponse.From(outcome.Links[0], http);
        return TypedResults.Created($"/api/links/{link.Code}", link);
    }

    public static async Task<Results<Created<LinkBatchResponse>, ValidationProblem, ProblemHttpResult>> CreateLinksBatchAsync(
        CreateLinksBatchRequest request, TenantContext tenant, LinkService links, HttpRequest http, CancellationToken cancellationToken)
    {
        if (request.Links is not { Count: > 0 and <= LinkService.MaxBatch })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["links"] = [$"links is an array of 1 to {LinkService.MaxBatch} links; split larger campaigns into several calls."],
            });
        }

        var outcome = await links.CreateAsync(tenant.Slug, request.Links, batch: true, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.Conflict ? Conflict(outcome.Errors) : TypedResults.ValidationProblem(outcome.Errors);
        }

        return TypedResults.Created("/api/links", new LinkBatchResponse([.. outcome.Links.Select(l => LinkResponse.From(l, http))]));
    }

    public static async Task<Results<Ok<LinkListResponse>, ValidationProblem>> ListLinksAsync(
        TenantContext tenant, ILinkStore store, Cursors cursors, HttpRequest http, CancellationToken cancellationToken,
        string? cursor = null, int? limit = null, string? tag = null, string? campaign = null, string? q = null)
    {
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [problem] });
        }

        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (text?.Length > LinkQuery.MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["q"] = [$"q has {text.Length} characters; search for at most {LinkQuery.MaxTextLength} (a part of the code, address, tag, campaign or title)."],
            });
        }

        var query = new LinkQuery(cursors.Decode(tenant.Slug + "/links", cursor), pageSize, tag, campaign, text);
        var page = await store.ListAsync(tenant.Slug, query, cancellationToken);
        return TypedResults.Ok(new LinkListResponse([.. page.Items.Select(l => LinkResponse.From(l, http))], cursors.Encode(tenant.Slug + "/links", page.Next)));
    }

    public static async Task<Results<Ok<LinkResponse>, ProblemHttpResult>> GetLinkAsync(
        string code, TenantContext tenant, ILinkStore store, HttpRequest http, CancellationToken cancellationToken)
    {
        var link = LinkCodes.IsWellFormed(code) ? await store.FindAsync(tenant.Slug, code, cancellationToken) : null;
        return link is null ? LinkNotFound(code) : TypedResults.Ok(LinkResponse.From(link, http));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetQrCodeAsync(
        string code, TenantContext tenant, ILinkStore store, HttpRequest http, CancellationToken cancellationToken,
        string? format = null, int? size = null)
    {
        var errors = LinkQrCodes.Validate(format, size);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var link = LinkCodes.IsWellFormed(code) ? await store.FindAsync(tenant.Slug, code, cancellationToken) : null;
        if (link is null)
        {
            return LinkNotFound(code);
        }

        var (content, contentType) = LinkQrCodes.Render(LinkResponse.ShortUrlOf(link.Code, http), format, size);
        return TypedResults.File(content, contentType);
    }

    public static async Task<Results<Ok<LinkResponse>, ValidationProblem, ProblemHttpResult>> UpdateLinkAsync(
        string code, JsonElement patch, TenantContext tenant, ILinkStore store, LinkService links, TimeProvider time,
        HttpRequest http, CancellationToken cancellationToken)
    {
        var link = LinkCodes.IsWellFormed(code) ? await store.FindAsync(tenant.Slug, code, cancellationToken) : null;
        if (link is null)
        {
            return LinkNotFound(code);
        }

        var (changed, errors) = LinkPatch.Apply(link, patch, time.GetUtcNow());
        if (changed is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await links.UpdateAsync(tenant.Slug, changed, cancellationToken))
        {
            return LinkNotFound(code);
        }

        var stored = await store.FindAsync(tenant.Slug, code, cancellationToken);
        return stored is null ? LinkNotFound(code) : TypedResults.Ok(LinkResponse.From(stored, http));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteLinkAsync(
        string code, TenantContext tenant, LinkService links, CancellationToken cancellationToken)
    {
        var deleted = LinkCodes.IsWellFormed(code) && await links.DeleteAsync(tenant.Slug, code, cancellationToken);
        return deleted ? TypedResults.NoContent() : LinkNotFound(code);
    }

    internal static ProblemHttpResult LinkNotFound(string code) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Link not found",
        detail: $"This tenant has no link with code '{code}'. List your links with GET /api/links.");

    private static ProblemHttpResult Conflict(Dictionary<string, string[]> errors) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Code already taken",
        detail: "Nothing was created: " + string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
        extensions: new Dictionary<string, object?> { ["errors"] = errors });
}
