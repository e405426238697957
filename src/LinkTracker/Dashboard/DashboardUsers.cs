using System.Net.Mail;
using LinkTracker.Core.Dashboard;
using LinkTracker.Core.Tenants;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LinkTracker.Dashboard;

/// <summary>
/// The one owner of "who may sign in to a tenant's dashboard": adding, listing and removing users (the CLI), and
/// checking a password with lockout (the sign-in page). Passwords are hashed with Identity's PasswordHasher.
/// </summary>
public sealed class DashboardUsers(
    IDashboardUserStore store, ICatalogStore catalog, IOptions<DashboardOptions> options, TimeProvider time)
{
    private static readonly PasswordHasher<DashboardUser> Hasher = new();

    /// <summary>A hash of no one's password: an unknown email costs the same time as a wrong password.</summary>
    private static readonly string DecoyHash = Hasher.HashPassword(null!, Guid.NewGuid().ToString("N"));

    /// <exception cref="DashboardUserException">The tenant, email, role or password is refused.</exception>
    public async Task<DashboardUser> AddAsync(string tenant, string email, string role, string password, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        var normalized = NormalizeEmail(email) ?? throw new DashboardUserException($"'{email}' is not an email address, e.g. ana@example.com.");
        if (!DashboardAuthentication.IsRole(role))
        {
            throw new DashboardUserException($"'{role}' is not a role: use '{DashboardAuthentication.Viewer}' (read only) or '{DashboardAuthentication.Editor}'.");
        }

        if (password.Length < options.Value.MinPasswordLength)
        {
            throw new DashboardUserException($"The password has {password.Length} characters; use at least {options.Value.MinPasswordLength} (Dashboard:MinPasswordLength).");
        }

        var now = time.GetUtcNow();
        var user = new DashboardUser(normalized, role, "", 0, null, now, now);
        user = user with { PasswordHash = Hasher.HashPassword(user, password) };
        await store.SaveAsync(tenant, user, cancellationToken);
        return user;
    }

    public async Task<IReadOnlyList<DashboardUser>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        return await store.ListAsync(tenant, cancellationToken);
    }

    /// <returns>False when the tenant has no such user.</returns>
    public async Task<bool> RemoveAsync(string tenant, string email, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenant, cancellationToken);
        return NormalizeEmail(email) is { } normalized && await store.RemoveAsync(tenant, normalized, time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Checks a password; wrong ones count towards the lockout, a right one during the lockout is refused too.</summary>
    public async Task<DashboardSignIn> SignInAsync(string tenant, string? email, string? password, CancellationToken cancellationToken)
    {
        var normalized = NormalizeEmail(email);
        var user = normalized is null ? null : await store.FindAsync(tenant, normalized, cancellationToken);
        var now = time.GetUtcNow();
        if (user is null)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash, password ?? "");
            return new DashboardSignIn(DashboardSignInOutcome.WrongCredentials);
        }

        if (user.LockedUntil is { } until && until > now)
        {
            return new DashboardSignIn(DashboardSignInOutcome.LockedOut, LockedUntil: until);
        }

        if (string.IsNullOrEmpty(password) || Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            var lockUntil = now + options.Value.LockoutDuration;
            return await store.RecordFailedSignInAsync(tenant, user.Email, options.Value.MaxFailedSignIns, lockUntil, cancellationToken)
                ? new DashboardSignIn(DashboardSignInOutcome.LockedOut, LockedUntil: lockUntil)
                : new DashboardSignIn(DashboardSignInOutcome.WrongCredentials);
        }

        await store.RecordSignInAsync(tenant, user.Email, now, cancellationToken);
        return new DashboardSignIn(DashboardSignInOutcome.Succeeded, user);
    }

    /// <summary>The user behind a session, still there and with the same role; null when removed or changed.</summary>
    public async Task<DashboardUser?> FindAsync(string tenant, string email, CancellationToken cancellationToken) =>
        await store.FindAsync(tenant, email, cancellationToken);

    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed
            ? null
            : trimmed.ToLowerInvariant();
    }

    private async Task RequireTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        if (!(await catalog.ListTenantsAsync(cancellationToken)).Any(t => t.Slug == tenant))
        {
            throw new DashboardUserException($"There is no tenant '{tenant}'. See 'linktracker tenants list'.");
        }
    }
}
