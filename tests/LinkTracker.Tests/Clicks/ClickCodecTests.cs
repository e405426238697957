using LinkTracker.Core.Clicks;

namespace LinkTracker.Tests.Clicks;

public class ClickCodecTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);

    [Fact]
    public void Every_field_survives_the_round_trip_including_nulls_and_non_ascii_text()
    {
        Click[] clicks =
        [
            new(Guid.CreateVersion7(At), "acme", "Ab3x", "jörg@example.com", At, "Mozilla/5.0 (X11)", "https://news.example/ü", "2001:db8::1", ClickFlags.Head | ClickFlags.Bot),
            new(Guid.CreateVersion7(At), "acme", "c", null, At.AddMilliseconds(1), null, null, null, ClickFlags.None),
        ];

        var (tenant, decoded) = ClickCodec.Decode(ClickCodec.Encode("acme", clicks));

        Assert.Equal("acme", tenant);
        Assert.Equal(clicks, decoded);
    }

    [Fact]
    public void A_truncated_or_foreign_body_is_refused_as_invalid_data()
    {
        var body = ClickCodec.Encode("acme", [new(Guid.CreateVersion7(At), "acme", "c", null, At, null, null, null, ClickFlags.None)]);

        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode(body.AsMemory(0, body.Length - 3)));
        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode("{\"json\":true}"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => ClickCodec.Decode(body.Concat(new byte[] { 0 }).ToArray()));
    }
}
