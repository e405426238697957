using System.Security.Cryptography;
using LinkTracker.Core.SignedLinks;
using LinkTracker.Links;

namespace LinkTracker.SignedLinks;

/// <summary>
/// A tenant's signing keys (create, list, delete) and the signing of links with its newest key. Signing reads the
/// catalog, not the ring, so a key deleted through another api node never signs again.
/// </summary>
public sealed class SigningKeys(ISigningKeyStore store, SigningKeySecrets secrets, SigningKeyRing ring, TimeProvider time)
{
    public const int MaxBatch = LinkService.MaxBatch;
    private const int SecretBytes = 32;

    public async Task<SigningKeyResponse> CreateAsync(string tenant, CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = new StoredSigningKey(
                tenant, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), secrets.Protect(RandomNumberGenerator.GetBytes(SecretBytes)), time.GetUtcNow());
            if (await store.AddAsync(key, cancellationToken))
            {
                await RefreshRingAsync(cancellationToken);
                return new SigningKeyResponse(key.Id, key.CreatedAt, Active: true);
            }
        }
    }

    public async Task<IReadOnlyList<SigningKeyResponse>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(tenant, cancellationToken);
        return [.. keys.Select((k, i) => new SigningKeyResponse(k.Id, k.CreatedAt, Active: i == keys.Count - 1))];
    }

    public async Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        var deleted = SignedLinkCodec.IsKeyId(id) && await store.DeleteAsync(tenant, id, cancellationToken);
        if (deleted)
        {
            await RefreshRingAsync(cancellationToken);
        }

        return deleted;
    }

    /// <summary>Signs every request with the tenant's newest key; short URLs on <paramref name="shortUrlBase"/> (the host the API was called on).</summary>
    public async Task<SignOutcome> SignAsync(
        string tenant, IReadOnlyList<SignLinkRequest> requests, bool batch, string shortUrlBase, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var payloads = new List<SignedLinkPayload>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var prefix = batch ? $"links[{i}]." : string.Empty;
            if (requests[i] is not { } request)
            {
                errors[prefix + "url"] = ["Each link is an object such as {\"url\": \"https://example.com/\"}."];
                continue;
            }

            AddError(errors, prefix + "url", LinkRules.NormalizeDestination(request.Url, out var destination));
            AddError(errors, prefix + "campaign", LinkRules.ValidateCampaign(request.Campaign));
            AddError(errors, prefix + "expiresAt", LinkRules.ValidateExpiry(request.ExpiresAt, now));
            if (destination is not null)
            {
                payloads.Add(new SignedLinkPayload(tenant, destination, request.Campaign, WholeSeconds(request.ExpiresAt)));
            }
        }

        if (errors.Count > 0)
        {
            return new SignOutcome([], errors, NoKey: false);
        }

        var keys = await store.ListAsync(tenant, cancellationToken);
        if (keys.Count == 0)
        {
            return new SignOutcome([], errors, NoKey: true);
        }

        var active = keys[^1];
        var secret = secrets.Reveal(active.ProtectedSecret);
        return new SignOutcome(
            [
                .. payloads.Select(p =>
                {
                    var token = SignedLinkCodec.Sign(p, active.Id, secret);
                    return new SignedLinkResponse(SignedLinkCodec.CodeOf(token), $"{shortUrlBase}/s/{token}", p.Destination, p.Campaign, p.ExpiresAt, active.Id);
                }),
            ],
            errors,
            NoKey: false);
    }

    /// <summary>The token carries whole seconds; a fraction is dropped, so the link expires at most a second earlier.</summary>
    private static DateTimeOffset? WholeSeconds(DateTimeOffset? at) =>
        at is { } value ? DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds()) : null;

    private static void AddError(Dictionary<string, string[]> errors, string field, string? problem)
    {
        if (problem is not null)
        {
            errors[field] = [problem];
        }
    }

    /// <summary>This process's own redirects see a change at once; other edges within Tenants:RefreshSeconds or on first use.</summary>
    private async Task RefreshRingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ring.ReloadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next periodic reload catches up.
        }
    }
}
