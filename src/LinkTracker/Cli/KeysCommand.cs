using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace LinkTracker.Cli;

internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Create, list and revoke a tenant's API keys");
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command CreateKey()
    {
        var tenant = CliOptions.Tenant();
        var label = new Option<string?>("--label") { Description = "What the key is for, shown in 'keys list'" };
        var data = CliOptions.Data();
        var json = CliOptions.Json();
        var command = new Command("create", "Create an API key and print it (once)") { tenant, label, data, json };
        command.SetAction((result, cancellationToken) => CliHost.WithAdminAsync(result, data, async admin =>
        {
            var (token, id) = await admin.CreateKeyAsync(result.GetValue(tenant)!, result.GetValue(label), cancellationToken);
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(new { apiKey = token, keyId = id }) : token);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var tenant = CliOptions.Tenant();
        var data = CliOptions.Data();
        var command = new Command("list", "List a tenant's keys (ids only; secrets are never stored)") { tenant, data };
        command.SetAction((result, cancellationToken) => CliHost.WithAdminAsync(result, data, async admin =>
        {
            var keys = await admin.ListKeysAsync(result.GetValue(tenant)!, cancellationToken);
            var table = new Table().AddColumns("Id", "Label", "Created (UTC)", "Revoked (UTC)");
            foreach (var key in keys)
            {
                table.AddRow(key.Id, Markup.Escape(key.Label ?? ""), key.CreatedAt.ToString("yyyy-MM-dd HH:mm"), key.RevokedAt?.ToString("yyyy-MM-dd HH:mm") ?? "");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var tenant = CliOptions.Tenant();
        var key = new Argument<string>("key") { Description = "The key's id (from 'keys list') or the key itself" };
        var data = CliOptions.Data();
        var command = new Command("revoke", "Revoke an API key at once") { key, tenant, data };
        command.SetAction((result, cancellationToken) => CliHost.WithAdminAsync(result, data, async admin =>
        {
            if (!await admin.RevokeKeyAsync(result.GetValue(tenant)!, result.GetValue(key)!, cancellationToken))
            {
                return CliErrors.Fail("No live key with that id on that tenant. See 'linktracker keys list --tenant <slug>'.");
            }

            Console.WriteLine("Key revoked.");
            return 0;
        }));
        return command;
    }
}
