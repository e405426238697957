using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace LinkTracker.Cli;

internal static class TenantsCommand
{
    public static Command Create()
    {
        var command = new Command("tenants", "Add and list tenants, rotate a tenant's database credential");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(RotateCredentials());
        return command;
    }

    private static Command RotateCredentials()
    {
        var slug = new Argument<string>("slug") { Description = "The tenant whose PostgreSQL login gets a new password" };
        var data = CliOptions.Data();
        var command = new Command("rotate-credentials", "Give a tenant's own PostgreSQL login a new random password (needs the owner login)") { slug, data };
        command.SetAction((result, cancellationToken) => CliHost.WithAdminAsync(result, data, async admin =>
        {
            await admin.RotateCredentialsAsync(result.GetValue(slug)!, cancellationToken);
            Console.WriteLine($"New password set for tenant {result.GetValue(slug)}; running services use it for their next connection.");
            return 0;
        }));
        return command;
    }

    private static Command Add()
    {
        var slug = new Argument<string>("slug") { Description = "3-63 lowercase letters, digits and hyphens; the tenant's host is <slug>.<base domain>" };
        var name = new Option<string?>("--name") { Description = "A display name (default: the slug)" };
        var data = CliOptions.Data();
        var json = CliOptions.Json();
        var command = new Command("add", "Create a tenant with its own database, and print its first API key (once)") { slug, name, data, json };
        command.SetAction((result, cancellationToken) => CliHost.WithAdminAsync(result, data, async admin =>
        {
            var created = await admin.AddTenantAsync(result.GetValue(slug)!, result.GetValue(name), cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { tenant = created.Tenant.Slug, apiKey = created.ApiKey, keyId = created.KeyId }));
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"Tenant [green]{created.Tenant.Slug}[/] created.");
                AnsiConsole.MarkupLine("API key (shown only now; store it, only its hash is kept):");
                Console.WriteLine(created.ApiKey);
            }

            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var data = CliOptions.Data();
        var json = CliOptions.Json();
        var command = new Command("list", "List the tenants") { data, json };
        command.SetAction((result, cancellationToken) => CliHost.WithAdminAsync(result, data, async admin =>
        {
            var tenants = await admin.ListTenantsAsync(cancellationToken);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(tenants.Select(t => new { slug = t.Slug, name = t.Name, createdAt = t.CreatedAt })));
                return 0;
            }

            if (tenants.Count == 0)
            {
                Console.WriteLine("No tenants yet. Add one with: linktracker tenants add <slug>");
                return 0;
            }

            var table = new Table().AddColumns("Slug", "Name", "Created (UTC)");
            foreach (var tenant in tenants)
            {
                table.AddRow(Markup.Escape(tenant.Slug), Markup.Escape(tenant.Name), tenant.CreatedAt.ToString("yyyy-MM-dd HH:mm"));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
