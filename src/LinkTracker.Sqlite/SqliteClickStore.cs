using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Common;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

public sealed class SqliteClickStore(SqliteDatabases databases) : IClickStore
{
    private const long MsPerHour = 3_600_000;

    public async Task<ClickWriteResult> WriteAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantForClickWriterAsync(tenant, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new ClickBatchWriter(connection, transaction);

        int inserted = 0, duplicates = 0;
        foreach (var click in clicks)
        {
            if (await batch.InsertAsync(click, cancellationToken))
            {
                inserted++;
            }
            else
            {
                duplicates++;
            }
        }

        await batch.FlushRollupsAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ClickWriteResult(inserted, duplicates);
    }

    public async Task<Page<Click>> ListAsync(string tenant, ClickQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            SELECT id, code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city
            FROM clicks
            WHERE code = $code AND ($after IS NULL OR id < $after)
              AND ($from IS NULL OR at >= $from) AND ($to IS NULL OR at < $to)
            ORDER BY id DESC
            LIMIT $limit
            """);
        command.Parameters.AddWithValue("$code", query.Code);
        command.Parameters.AddWithValue("$after", query.After is null ? DBNull.Value : ParseCursor(query.After));
        command.Parameters.AddWithValue("$from", SqliteValues.ToDb(query.From));
        command.Parameters.AddWithValue("$to", SqliteValues.ToDb(query.To));
        command.Parameters.AddWithValue("$limit", query.Limit + 1);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clicks = new List<Click>();
        var more = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (clicks.Count == query.Limit)
            {
                more = true;
                break;
            }

            clicks.Add(new Click(
                reader.GetUuid(0),
                tenant,
                reader.GetString(1),
                reader.GetStringOrNull(2),
                SqliteValues.FromUnixMs(reader.GetInt64(3)),
                reader.GetStringOrNull(4),
                reader.GetStringOrNull(5),
                reader.GetStringOrNull(6),
                (ClickFlags)reader.GetInt32(7))
            {
                Reason = reader.GetStringOrNull(8),
                Device = reader.GetStringOrNull(9),
                Browser = reader.GetStringOrNull(10),
                Os = reader.GetStringOrNull(11),
                Country = reader.GetStringOrNull(12),
                City = reader.GetStringOrNull(13),
            });
        }

        return new Page<Click>(clicks, more ? Convert.ToHexString(SqliteValues.ToBytes(clicks[^1].Id)) : null);
    }

    private static byte[] ParseCursor(string cursor)
    {
        try
        {
            var bytes = Convert.FromHexString(cursor);
            return bytes.Length == 16 ? bytes : throw new InvalidCursorException();
        }
        catch (FormatException)
        {
            throw new InvalidCursorException();
        }
    }

    /// <summary>
    /// Inserts clicks one by one (ignoring known ids) and gathers the rollups of the inserted ones,
    /// then upserts the rollups once per scope and hour.
    /// </summary>
    private sealed class ClickBatchWriter : IAsyncDisposable
    {
        private readonly SqliteCommand _insertClick;
        private readonly SqliteCommand _findCampaign;
        private readonly SqliteCommand _keepSignedLink;
        private readonly SqliteCommand _firstSeen;
        private readonly SqliteCommand _upsertRollup;
        private readonly SqliteCommand _upsertBreakdown;
        private readonly Dictionary<string, string?> _campaigns = new(StringComparer.Ordinal);
        private readonly HashSet<string> _signedLinksKept = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Scope, long Hour), Rollup> _rollups = [];
        private readonly Dictionary<(string Scope, string Dimension, long Hour, string Value), Rollup> _breakdowns = [];

        public ClickBatchWriter(SqliteConnection connection, SqliteTransaction transaction)
        {
            _insertClick = connection.Command("""
                INSERT INTO clicks (id, code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city)
                VALUES ($id, $code, $recipient, $at, $ua, $referrer, $address, $flags, $reason, $device, $browser, $os, $country, $city)
                ON CONFLICT (id) DO NOTHING
                """, transaction);
            foreach (var name in (string[])["$id", "$code", "$recipient", "$at", "$ua", "$referrer", "$address", "$flags", "$reason", "$device", "$browser", "$os", "$country", "$city"])
            {
                _insertClick.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _findCampaign = connection.Command("SELECT campaign FROM links WHERE code = $code", transaction);
            _findCampaign.Parameters.Add(new SqliteParameter { ParameterName = "$code" });
            _keepSignedLink = connection.Command(
                "INSERT OR IGNORE INTO signed_links (code, campaign, first_at) VALUES ($code, $campaign, $at)", transaction);
            foreach (var name in (string[])["$code", "$campaign", "$at"])
            {
                _keepSignedLink.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _firstSeen = connection.Command(
                "INSERT INTO first_seen (scope, recipient, first_at) VALUES ($scope, $recipient, $at) ON CONFLICT DO NOTHING",
                transaction);
            foreach (var name in (string[])["$scope", "$recipient", "$at"])
            {
                _firstSeen.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _upsertRollup = connection.Command("""
                INSERT INTO rollup_hourly (scope, hour, clicks, human_clicks, new_recipients)
                VALUES ($scope, $hour, $clicks, $human, $new)
                ON CONFLICT (scope, hour) DO UPDATE SET
                    clicks = clicks + excluded.clicks,
                    human_clicks = human_clicks + excluded.human_clicks,
                    new_recipients = new_recipients + excluded.new_recipients
                """, transaction);
            foreach (var name in (string[])["$scope", "$hour", "$clicks", "$human", "$new"])
            {
                _upsertRollup.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _upsertBreakdown = connection.Command("""
                INSERT INTO rollup_breakdown (scope, dimension, hour, value, clicks, human_clicks)
                VALUES ($scope, $dimension, $hour, $value, $clicks, $human)
                ON CONFLICT (scope, dimension, hour, value) DO UPDATE SET
                    clicks = clicks + excluded.clicks,
                    human_clicks = human_clicks + excluded.human_clicks
                """, transaction);
            foreach (var name in (string[])["$scope", "$dimension", "$hour", "$value", "$clicks", "$human"])
            {
                _upsertBreakdown.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        /// <returns>false when a click with that id was already stored.</returns>
        public async Task<bool> InsertAsync(Click click, CancellationToken cancellationToken)
        {
            var atMs = SqliteValues.ToUnixMs(click.At);
            var p = _insertClick.Parameters;
            p[0].Value = SqliteValues.ToBytes(click.Id);
            p[1].Value = click.Code;
            p[2].Value = SqliteValues.ToDb(click.Recipient);
            p[3].Value = atMs;
            p[4].Value = SqliteValues.ToDb(click.UserAgent);
            p[5].Value = SqliteValues.ToDb(click.Referrer);
            p[6].Value = SqliteValues.ToDb(click.ClientAddress);
            p[7].Value = (int)click.Flags;
            p[8].Value = SqliteValues.ToDb(click.Reason);
            p[9].Value = SqliteValues.ToDb(click.Device);
            p[10].Value = SqliteValues.ToDb(click.Browser);
            p[11].Value = SqliteValues.ToDb(click.Os);
            p[12].Value = SqliteValues.ToDb(click.Country);
            p[13].Value = SqliteValues.ToDb(click.City);
            if (await _insertClick.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }

            var hour = atMs / MsPerHour;
            var campaign = await CampaignOfAsync(click, atMs, cancellationToken);
            await CountAsync(StatsScope.Tenant.RollupKey, hour, click, atMs, cancellationToken);
            await CountAsync(StatsScope.ForLink(click.Code).RollupKey, hour, click, atMs, cancellationToken);
            if (campaign is not null)
            {
                await CountAsync(StatsScope.ForCampaign(campaign).RollupKey, hour, click, atMs, cancellationToken);
            }

            return true;
        }

        public async Task FlushRollupsAsync(CancellationToken cancellationToken)
        {
            var p = _upsertRollup.Parameters;
            foreach (var ((scope, hour), rollup) in _rollups)
            {
                p[0].Value = scope;
                p[1].Value = hour;
                p[2].Value = rollup.Clicks;
                p[3].Value = rollup.HumanClicks;
                p[4].Value = rollup.NewRecipients;
                await _upsertRollup.ExecuteNonQueryAsync(cancellationToken);
            }

            _rollups.Clear();
            p = _upsertBreakdown.Parameters;
            foreach (var ((scope, dimension, hour, value), rollup) in _breakdowns)
            {
                p[0].Value = scope;
                p[1].Value = dimension;
                p[2].Value = hour;
                p[3].Value = value;
                p[4].Value = rollup.Clicks;
                p[5].Value = rollup.HumanClicks;
                await _upsertBreakdown.ExecuteNonQueryAsync(cancellationToken);
            }

            _breakdowns.Clear();
        }

        public async ValueTask DisposeAsync()
        {
            await _insertClick.DisposeAsync();
            await _findCampaign.DisposeAsync();
            await _keepSignedLink.DisposeAsync();
            await _firstSeen.DisposeAsync();
            await _upsertRollup.DisposeAsync();
            await _upsertBreakdown.DisposeAsync();
        }

        private async Task CountAsync(string scope, long hour, Click click, long atMs, CancellationToken cancellationToken)
        {
            var rollup = _rollups.GetValueOrDefault((scope, hour));
            rollup.Clicks++;
            if (click.IsHuman)
            {
                rollup.HumanClicks++;
                if (click.Recipient is not null && await IsFirstSeenAsync(scope, click.Recipient, atMs, cancellationToken))
                {
                    rollup.NewRecipients++;
                }
            }

            _rollups[(scope, hour)] = rollup;
            foreach (var dimension in ClickBreakdown.Dimensions)
            {
                var key = (scope, ClickBreakdown.Name(dimension), hour, ClickBreakdown.ValueOf(click, dimension));
                var breakdown = _breakdowns.GetValueOrDefault(key);
                breakdown.Clicks++;
                breakdown.HumanClicks += click.IsHuman ? 1 : 0;
                _breakdowns[key] = breakdown;
            }
        }

        private async Task<bool> IsFirstSeenAsync(string scope, string recipient, long atMs, CancellationToken cancellationToken)
        {
            var p = _firstSeen.Parameters;
            p[0].Value = scope;
            p[1].Value = recipient;
            p[2].Value = atMs;
            return await _firstSeen.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        /// <summary>
        /// A stored link's campaign from its row; a signed link's click carries its own (ADR 26), which is kept by code in
        /// signed_links so that segments and click webhooks find it as they find a stored link's.
        /// </summary>
        private async Task<string?> CampaignOfAsync(Click click, long atMs, CancellationToken cancellationToken)
        {
            if (click.Campaign is { } signed)
            {
                if (_signedLinksKept.Add(click.Code))
                {
                    var p = _keepSignedLink.Parameters;
                    p[0].Value = click.Code;
                    p[1].Value = signed;
                    p[2].Value = atMs;
                    await _keepSignedLink.ExecuteNonQueryAsync(cancellationToken);
                }

                return signed;
            }

            if (!_campaigns.TryGetValue(click.Code, out var campaign))
            {
                _findCampaign.Parameters[0].Value = click.Code;
                campaign = await _findCampaign.ExecuteScalarAsync(cancellationToken) as string;
                _campaigns[click.Code] = campaign;
            }

            return campaign;
        }

        private struct Rollup
        {
            public long Clicks;
            public long HumanClicks;
            public long NewRecipients;
        }
    }
}
