using System.Globalization;
using LinkTracker.Api;
using LinkTracker.Core.Common;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Reports;
using LinkTracker.Jobs;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LinkTracker.Reports;

/// <summary>The tenant's daily reports: list, download as JSON or CSV, ask for a range, and poll what is ready.</summary>
public static class ReportsApi
{
    private const string DateFormat = "yyyy-MM-dd";

    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/reports", ListReportsAsync).WithTags("Reports").WithSummary("Stored daily reports, newest first");
        api.MapPost("/reports", CreateReportsAsync).WithTags("Reports")
            .WithSummary("Make the reports of a range of ended local days (at most 31); 202 with a status to poll");
        api.MapGet("/reports/status", GetStatusAsync).WithTags("Reports").WithSummary("Which days of a range have a report ready");
        api.MapGet("/reports/{date}", GetReportAsync).WithTags("Reports")
            .WithSummary("One day's report as JSON or CSV (Accept: text/csv or ?format=csv)");
        return api.MapReportSettingsApi();
    }

    public static async Task<Results<Ok<ReportListResponse>, ValidationProblem>> ListReportsAsync(
        TenantContext tenant, IReportStore store, Cursors cursors, CancellationToken cancellationToken, int? limit = null, string? cursor = null)
    {
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [problem] });
        }

        // The cursor is the last date of the previous page; the next page starts the day before.
        var through = cursors.Decode(tenant.Slug + "/reports", cursor) is { } after
            ? (ParseDate(after) is { } last && last > DateOnly.MinValue ? last.AddDays(-1) : throw new InvalidCursorException())
            : DateOnly.MaxValue;
        var reports = await store.ListReportsAsync(tenant.Slug, DateOnly.MinValue, through, pageSize + 1, cancellationToken);
        var page = reports.Take(pageSize).Select(r => new ReportListItem(r.Date, r.TimeZone, r.GeneratedAt, ReportPath(r.Date) + "?format=json", ReportPath(r.Date) + "?format=csv")).ToList();
        var next = reports.Count > pageSize ? cursors.Encode(tenant.Slug + "/reports", Format(page[^1].Date)) : null;
        return TypedResults.Ok(new ReportListResponse(page, next));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> GetReportAsync(
        string date, HttpRequest request, TenantContext tenant, IReportStore store, CancellationToken cancellationToken, string? format = null)
    {
        if (ParseDate(date) is not { } day)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["date"] = [$"'{date}' is not a date; use yyyy-MM-dd, e.g. 2026-11-01."] });
        }

        var (csv, formatProblem) = ReportFormats.Pick(format, request);
        if (formatProblem is not null)
        {
            return formatProblem;
        }

        if (await store.GetReportAsync(tenant.Slug, day, cancellationToken) is not { } report)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Report not found",
                detail: $"There is no report for {Format(day)} yet. A day's report is made after the day ends in your time zone "
                    + "(GET /api/settings); ask for it with POST /api/reports {\"from\": \"" + Format(day) + "\", \"to\": \"" + Format(day) + "\"}.");
        }

        if (!csv)
        {
            return TypedResults.Text(report.Content, "application/json; charset=utf-8");
        }

        request.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"report-{tenant.Slug}-{Format(day)}.csv\"";
        return TypedResults.Text(ReportCsv.Write(ReportBuilder.FromJson(report.Content)), "text/csv; charset=utf-8");
    }

    public static async Task<Results<Accepted<ReportStatusResponse>, ValidationProblem>> CreateReportsAsync(
        CreateReportsRequest body, TenantContext tenant, IReportStore store, IJobQueue queue, TimeProvider time,
        IOptions<ReportsOptions> options, IOptions<JobsOptions> jobs, CancellationToken cancellationToken)
    {
        var (range, errors) = ParseRange(body.From, body.To);
        var settings = await store.GetSettingsOrDefaultAsync(tenant.Slug, cancellationToken);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        if (range is { } r)
        {
            var (from, to) = r;
            var zone = ReportStoreExtensions.Zone(settings.TimeZone);
            var latest = ReportDay.LastEnded(now, zone, options.Value.LateClicksGrace);
            var oldest = ReportDay.LocalDate(now, zone).AddDays(-jobs.Value.RetentionDays);
            if (to > latest)
            {
                errors["to"] = [$"{Format(to)} has not ended in your time zone ({settings.TimeZone}) for {options.Value.LateClicksGrace.TotalMinutes:0} minutes "
                    + $"(the wait for late clicks); the latest day you can ask for now is {Format(latest)}."];
            }

            if (from < oldest)
            {
                errors["from"] = [$"Raw clicks are kept for {jobs.Value.RetentionDays} days, so a report before {Format(oldest)} would be empty; ask for {Format(oldest)} or later."];
            }
        }

        if (errors.Count > 0 || range is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (first, last) = valid;
        // Refresh: a day whose job runs now may have read its clicks before this request, and the status below waits for
        // a report made after it, so that job runs once more (with its own payload) when it ends.
        var requests = Days(first, last).Select(d => ReportJob.For(tenant.Slug, d, settings.TimeZone, deliver: false) with { Refresh = true }).ToList();
        foreach (var refused in (await queue.EnqueueManyAsync(requests, null, cancellationToken)).Where(e => !e.Added))
        {
            // Asking again is the tenant's retry of a day whose job died; a job that waits runs after this request anyway.
            await queue.RedriveAsync(refused.Id, cancellationToken);
        }

        var location = $"/api/reports/status?from={Format(first)}&to={Format(last)}&since={Uri.EscapeDataString(now.ToString("O", CultureInfo.InvariantCulture))}";
        return TypedResults.Accepted(location, await StatusAsync(tenant.Slug, first, last, now, store, queue, cancellationToken));
    }

    public static async Task<Results<Ok<ReportStatusResponse>, ValidationProblem>> GetStatusAsync(
        TenantContext tenant, IReportStore store, IJobQueue queue, CancellationToken cancellationToken,
        string? from = null, string? to = null, DateTimeOffset? since = null)
    {
        var (range, errors) = ParseRange(from, to);
        return range is { } r
            ? TypedResults.Ok(await StatusAsync(tenant.Slug, r.From, r.To, since, store, queue, cancellationToken))
            : TypedResults.ValidationProblem(errors);
    }

    private static async Task<ReportStatusResponse> StatusAsync(
        string tenant, DateOnly from, DateOnly to, DateTimeOffset? since, IReportStore store, IJobQueue queue, CancellationToken cancellationToken)
    {
        var stored = (await store.ListReportsAsync(tenant, from, to, ReportsOptions.MaxRangeDays, cancellationToken)).ToDictionary(r => r.Date);
        var days = new List<ReportDayStatus>();
        foreach (var day in Days(from, to))
        {
            if (stored.TryGetValue(day, out var report) && (since is null || report.GeneratedAt >= since))
            {
                days.Add(new ReportDayStatus(day, "ready", report.GeneratedAt, null, ReportPath(day)));
            }
            else if (await queue.GetDeadAsync(ReportJob.Id(tenant, day), cancellationToken) is { } dead)
            {
                days.Add(new ReportDayStatus(day, "failed", null, $"{dead.LastError} Ask for the day again with POST /api/reports to retry.", null));
            }
            else
            {
                days.Add(new ReportDayStatus(day, "pending", null, null, null));
            }
        }

        return new ReportStatusResponse(from, to, since, days.TrueForAll(d => d.State == "ready"), days);
    }

    private static ((DateOnly From, DateOnly To)? Range, Dictionary<string, string[]> Errors) ParseRange(string? from, string? to)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var first = ParseDate(from);
        var last = ParseDate(to);
        if (first is null)
        {
            errors["from"] = [$"from is required as a date, yyyy-MM-dd (e.g. 2026-11-01); got '{from}'."];
        }

        if (last is null)
        {
            errors["to"] = [$"to is required as a date, yyyy-MM-dd (e.g. 2026-11-03); got '{to}'."];
        }

        if (first is not { } f || last is not { } l)
        {
            return (null, errors);
        }

        if (f > l)
        {
            errors["from"] = [$"from ({Format(f)}) must not be after to ({Format(l)})."];
        }
        else if (l.DayNumber - f.DayNumber + 1 > ReportsOptions.MaxRangeDays)
        {
            errors["to"] = [$"A range holds at most {ReportsOptions.MaxRangeDays} days; this one holds {l.DayNumber - f.DayNumber + 1}. Split it."];
        }

        return errors.Count > 0 ? (null, errors) : ((f, l), errors);
    }

    private static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        // By day number: AddDays past 9999-12-31 would throw.
        for (var day = from.DayNumber; day <= to.DayNumber; day++)
        {
            yield return DateOnly.FromDayNumber(day);
        }
    }

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string ReportPath(DateOnly date) => "/api/reports/" + Format(date);
}
