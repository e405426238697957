using System.CommandLine;
using LinkTracker.Dashboard;
using Spectre.Console;

namespace LinkTracker.Cli;

/// <summary>`linktracker users`: the people who sign in to a tenant's dashboard (ADR 16).</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "Add, list and remove the people who sign in to a tenant's dashboard");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Add()
    {
        var tenant = CliOptions.Tenant();
        var email = Email();
        var role = new Option<string>("--role") { Description = "viewer (read only) or editor", DefaultValueFactory = _ => DashboardAuthentication.Viewer };
        var data = CliOptions.Data();
        var command = new Command("add", "Add a user, or set a new role and password (read from standard input, first line) for an existing one")
        {
            tenant, email, role, data,
        };
        command.SetAction((result, cancellationToken) => WithUsersAsync(result, data, async users =>
        {
            // From stdin, never an argument: arguments end up in shell history and process lists.
            var password = Console.In.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                return CliErrors.Fail("Give the password on standard input, e.g. 'read -rs PW; printf %s\\\\n \"$PW\" | linktracker users add ...'.");
            }

            var user = await users.AddAsync(result.GetValue(tenant)!, result.GetValue(email)!, result.GetValue(role)!, password, cancellationToken);
            Console.WriteLine($"{user.Email} can sign in at the tenant's host, /dashboard, as {user.Role}; their other sessions ended.");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var tenant = CliOptions.Tenant();
        var data = CliOptions.Data();
        var command = new Command("list", "List a tenant's dashboard users") { tenant, data };
        command.SetAction((result, cancellationToken) => WithUsersAsync(result, data, async users =>
        {
            var table = new Table().AddColumns("Email", "Role", "Locked until (UTC)", "Changed (UTC)");
            foreach (var user in await users.ListAsync(result.GetValue(tenant)!, cancellationToken))
            {
                table.AddRow(Markup.Escape(user.Email), user.Role, user.LockedUntil?.ToString("yyyy-MM-dd HH:mm") ?? "", user.UpdatedAt.ToString("yyyy-MM-dd HH:mm"));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var tenant = CliOptions.Tenant();
        var email = Email();
        var data = CliOptions.Data();
        var command = new Command("remove", "Remove a user; their open sessions end at their next request") { tenant, email, data };
        command.SetAction((result, cancellationToken) => WithUsersAsync(result, data, async users =>
        {
            if (!await users.RemoveAsync(result.GetValue(tenant)!, result.GetValue(email)!, cancellationToken))
            {
                return CliErrors.Fail("That tenant has no user with that email. See 'linktracker users list --tenant <slug>'.");
            }

            Console.WriteLine("User removed.");
            return 0;
        }));
        return command;
    }

    private static Option<string> Email() => new("--email") { Description = "The user's email address", Required = true };

    private static async Task<int> WithUsersAsync(ParseResult result, Option<string?> data, Func<DashboardUsers, Task<int>> verb)
    {
        try
        {
            await using var app = Program.BuildApp(CliOptions.HostArgs(result, data));
            return await verb(app.Services.GetRequiredService<DashboardUsers>());
        }
        catch (DashboardUserException ex)
        {
            return CliErrors.Fail(ex.Message);
        }
        catch (Exception ex) when (CliErrors.Describe(ex) is { } message)
        {
            return CliErrors.Fail(message);
        }
    }
}
