using System.CommandLine;
using LinkTracker.Dashboard;
using LinkTracker.Demo;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Cli;

/// <summary>`linktracker demo`: a tenant with links and a month of clicks to look at in the dashboard (safe to run again).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var tenant = CliOptions.Tenant();
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = $"Read the password of the dashboard user {DemoData.Email} from standard input (first line); without it a new user gets a generated one, printed",
        };
        var data = CliOptions.Data();
        var command = new Command("demo", "Create the tenant if missing, 30 links over three campaigns and 30 days of realistic clicks, and a dashboard user; a re-run adds nothing")
        {
            tenant, passwordStdin, data,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            string? password = null;
            if (result.GetValue(passwordStdin) && string.IsNullOrEmpty(password = Console.In.ReadLine()))
            {
                return CliErrors.Fail("Give the password on standard input, e.g. 'read -rs PW; printf %s\\\\n \"$PW\" | linktracker demo --tenant demo --password-stdin'.");
            }

            try
            {
                await using var app = Program.BuildApp(CliOptions.HostArgs(result, data));
                var slug = result.GetValue(tenant)!;
                var demo = await ActivatorUtilities.CreateInstance<DemoData>(app.Services).SeedAsync(slug, password, cancellationToken);
                Print(demo, slug, app.Services.GetRequiredService<IOptions<TenantOptions>>().Value.BaseDomain);
                return 0;
            }
            catch (DashboardUserException ex)
            {
                return CliErrors.Fail(ex.Message);
            }
            catch (Exception ex) when (CliErrors.Describe(ex) is { } message)
            {
                return CliErrors.Fail(message);
            }
        });
        return command;
    }

    private static void Print(DemoResult demo, string tenant, string baseDomain)
    {
        if (demo.ApiKey is not null)
        {
            Console.WriteLine($"Tenant {tenant} created. API key (shown only now): {demo.ApiKey}");
        }

        Console.WriteLine($"Links: {demo.LinksCreated} created, {demo.LinksExisting} already there.");
        Console.WriteLine($"Clicks: {demo.ClicksWritten:N0} written, {demo.ClicksExisting:N0} already there, {demo.From:yyyy-MM-dd HH:mm} to {demo.To:yyyy-MM-dd HH:mm} UTC.");
        Console.WriteLine(demo.Password is null
            ? $"Dashboard user: {demo.Email} (editor), password unchanged; set a new one with --password-stdin."
            : $"Dashboard user: {demo.Email} (editor), password: {demo.Password}");
        Console.WriteLine($"Open http://{tenant}.{baseDomain}:5000/dashboard (serve's default address; a running serve sees new links within seconds).");
    }
}
