using System.Text;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Tests.Clicks;

public class ClickCodecTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);

    private static readonly Click[] TwoClicks =
    [
        new(Guid.CreateVersion7(At), "acme", "Ab3x", "jörg@example.com", At, "Mozilla/5.0 (X11)", "https://news.example/ü", "2001:db8::1", ClickFlags.Head | ClickFlags.Bot),
        new(Guid.CreateVersion7(At), "acme", "c", null, At.AddMilliseconds(1), null, null, null, ClickFlags.None),
    ];

    [Fact]
    public void Every_field_survives_the_round_trip_including_nulls_and_non_ascii_text()
    {
        var (tenant, decoded) = ClickCodec.Decode(ClickCodec.Encode("acme", TwoClicks));

        Assert.Equal("acme", tenant);
        Assert.Equal(TwoClicks, decoded);
    }

    private static readonly Click[] SignedClicks =
    [
        TwoClicks[0] with { Campaign = "Frühling-2027" },
        TwoClicks[1],
        TwoClicks[1] with { Id = Guid.CreateVersion7(At), Campaign = new string('c', 200) }, // a length over one 7-bit byte
    ];

    [Fact]
    public void This_build_writes_version_2_unless_switched_back_and_reads_version_3()
    {
        Assert.Equal(2, ClickCodec.WriteVersion);
        Assert.Equal(2, ClickCodec.Encode("acme", TwoClicks)[0]);
        Assert.Equal(1, ClickCodec.Encode("acme", TwoClicks, 1)[0]);
        Assert.Equal(2, ClickCodec.CurrentVersion);
        Assert.Equal(3, ClickCodec.NewestReadableVersion);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClickCodec.WriteVersion = 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClickCodec.WriteVersion = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClickCodec.Encode("acme", TwoClicks, 3));
    }

    [Fact]
    public void Version_2_carries_a_signed_links_campaign_and_every_other_field()
    {
        var body = ClickCodec.Encode("acme", SignedClicks, 2);

        var (tenant, decoded) = ClickCodec.Decode(body);

        Assert.Equal(2, body[0]);
        Assert.Equal("acme", tenant);
        Assert.Equal(SignedClicks, decoded);
    }

    [Fact]
    public void Version_1_has_no_campaign_so_a_click_written_in_it_arrives_without_one()
    {
        var (_, decoded) = ClickCodec.Decode(ClickCodec.Encode("acme", SignedClicks, 1));

        Assert.Equal(SignedClicks.Select(c => c with { Campaign = null }), decoded);
    }

    [Fact]
    public void Version_2_as_written_by_hand_reads_the_campaign_from_the_clicks_block()
    {
        var campaign = Block(w => Nullable(w, "spring"));

        var (_, decoded) = ClickCodec.Decode(NextVersion(2, "acme", TwoClicks, campaign, []));

        Assert.Equal(TwoClicks.Select(c => c with { Campaign = "spring" }), decoded);
    }

    [Fact]
    public void A_next_version_message_is_read_by_the_fields_this_build_knows_and_the_rest_of_each_block_is_skipped()
    {
        // What a version 3 build might append: after the campaign a nested field per click (a country), and a
        // message-level block.
        var perClick = Block(w =>
        {
            Nullable(w, "spring");
            w.Write(Encoding.UTF8.GetBytes("\u0002DE\u0007whatever a newer build knows"));
        });
        var perMessage = new byte[300]; // longer than one 7-bit length byte
        Random.Shared.NextBytes(perMessage);

        var (tenant, decoded) = ClickCodec.Decode(NextVersion(3, "acme", TwoClicks, perClick, perMessage));

        Assert.Equal("acme", tenant);
        Assert.Equal(TwoClicks.Select(c => c with { Campaign = "spring" }), decoded);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_message_with_empty_extensions_is_read_too_without_a_campaign(byte version)
    {
        var (_, decoded) = ClickCodec.Decode(NextVersion(version, "acme", TwoClicks, [], []));

        Assert.Equal(TwoClicks, decoded);
    }

    [Fact]
    public void A_campaign_that_overruns_its_block_is_invalid_data()
    {
        var tooShort = Block(w => Nullable(w, "spring"))[..^2];

        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode(NextVersion(2, "acme", TwoClicks, tooShort, [])));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(255)]
    public void A_version_beyond_the_next_is_refused_as_unknown_with_its_version(byte version)
    {
        var body = NextVersion(version, "acme", TwoClicks, [], []);

        var refused = Assert.Throws<UnknownClickFormatException>(() => ClickCodec.Decode(body));

        Assert.Equal(version, refused.Version);
        Assert.Contains($"version {version}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("reads versions 1 to 3", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_next_version_message_whose_extension_overruns_the_body_is_invalid_not_unknown()
    {
        var body = NextVersion(2, "acme", TwoClicks, [1, 2, 3], []);

        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode(body.AsMemory(0, body.Length - 2)));
    }

    [Fact]
    public void A_truncated_or_foreign_body_is_refused_as_invalid_data()
    {
        var body = ClickCodec.Encode("acme", [new(Guid.CreateVersion7(At), "acme", "c", null, At, null, null, null, ClickFlags.None)]);
        var insideTheId = 1 + 5 + 1 + 8; // version, "acme", count, half of the id

        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode(body.AsMemory(0, body.Length - 3)));
        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode(body.AsMemory(0, insideTheId)));
        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode("\u0001{\"json\":true}"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode(body.Concat(new byte[] { 0 }).ToArray()));
        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode(new byte[] { 0, 0 }));
    }

    [Fact]
    public void A_foreign_body_is_refused_by_its_first_byte_which_is_all_the_codec_has_to_go_by()
    {
        // '{' (123) is read as a version byte: refused as unknown, never decoded as clicks. Bodies that did not come
        // from a LinkTracker publisher are told apart by their content type (dead letters) or checksum (journal).
        var refused = Assert.Throws<UnknownClickFormatException>(() => ClickCodec.Decode("{\"json\":true}"u8.ToArray()));

        Assert.Equal('{', refused.Version);
    }

    /// <summary>
    /// A message as a build of <paramref name="version"/> (2 or later) writes it, by hand (ADR 11): version 1's fields,
    /// plus after each click and after the last click one length-prefixed extension block.
    /// </summary>
    private static byte[] NextVersion(byte version, string tenant, Click[] clicks, byte[] perClick, byte[] perMessage)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(version);
            writer.Write(tenant);
            writer.Write7BitEncodedInt(clicks.Length);
            foreach (var click in clicks)
            {
                writer.Write(click.Id.ToByteArray(bigEndian: true));
                writer.Write(click.Code);
                Nullable(writer, click.Recipient);
                writer.Write(click.At.ToUnixTimeMilliseconds());
                Nullable(writer, click.UserAgent);
                Nullable(writer, click.Referrer);
                Nullable(writer, click.ClientAddress);
                writer.Write((int)click.Flags);
                writer.Write7BitEncodedInt(perClick.Length);
                writer.Write(perClick);
            }

            writer.Write7BitEncodedInt(perMessage.Length);
            writer.Write(perMessage);
        }

        return stream.ToArray();
    }

    private static byte[] Block(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        return stream.ToArray();
    }

    private static void Nullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }
}
