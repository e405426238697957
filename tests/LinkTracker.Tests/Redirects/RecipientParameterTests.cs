using LinkTracker.Redirects;

namespace LinkTracker.Tests.Redirects;

public class RecipientParameterTests
{
    [Fact]
    public void Keeps_a_valid_recipient()
    {
        Assert.Equal("user-42@example.com", RecipientParameter.Read("user-42@example.com", out var invalid));
        Assert.False(invalid);
    }

    [Fact]
    public void Absent_is_not_invalid()
    {
        Assert.Null(RecipientParameter.Read(null, out var invalid));
        Assert.False(invalid);
    }

    [Theory]
    [InlineData(129)]
    [InlineData(500)]
    public void Drops_a_recipient_over_128_characters(int length)
    {
        Assert.Null(RecipientParameter.Read(new string('x', length), out var invalid));
        Assert.True(invalid);
        Assert.NotNull(RecipientParameter.Read(new string('x', 128), out _));
    }

    [Fact]
    public void Drops_control_characters()
    {
        Assert.Null(RecipientParameter.Read("a\nb", out var invalid));
        Assert.True(invalid);
    }

    [Theory]
    [InlineData("?r=alice", "alice")]
    [InlineData("?utm=x&r=a%40b.example&r=second", "a@b.example")]
    [InlineData("?r=with+space", "with space")]
    [InlineData("?rr=no&xr=no", null)]
    [InlineData("", null)]
    [InlineData("?r=", "")]
    public void Finds_the_first_r_in_the_query(string query, string? expected) =>
        Assert.Equal(expected, RecipientParameter.Find(new Microsoft.AspNetCore.Http.QueryString(query.Length == 0 ? null : query)));
}
