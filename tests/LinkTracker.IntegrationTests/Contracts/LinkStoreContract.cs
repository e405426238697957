using LinkTracker.Core.Common;
using LinkTracker.Core.Links;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>What every link store must do; one subclass per engine.</summary>
public abstract class LinkStoreContract
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00Z");

    protected abstract Task<ILinkStore> CreateAsync(string tenant);

    private static Link NewLink(string code, params string[] tags) => new(code, $"https://example.com/{code}", tags, null, null, false, T0, T0);

    [Fact]
    public async Task Inserts_all_or_nothing()
    {
        var store = await CreateAsync("acme");
        await store.InsertAsync("acme", [NewLink("taken")], CancellationToken.None);

        var taken = await store.InsertAsync("acme", [NewLink("new1"), NewLink("taken"), NewLink("new2")], CancellationToken.None);

        Assert.Equal(["taken"], taken);
        Assert.Null(await store.FindAsync("acme", "new1", CancellationToken.None));
        Assert.Null(await store.FindAsync("acme", "new2", CancellationToken.None));
    }

    [Fact]
    public async Task A_deleted_links_code_stays_taken()
    {
        var store = await CreateAsync("acme");
        await store.InsertAsync("acme", [NewLink("gone")], CancellationToken.None);

        Assert.True(await store.DeleteAsync("acme", "gone", T0, CancellationToken.None));
        Assert.False(await store.DeleteAsync("acme", "gone", T0, CancellationToken.None));
        Assert.Null(await store.FindAsync("acme", "gone", CancellationToken.None));
        Assert.True(await store.ExistsAsync("acme", "gone", CancellationToken.None));
        Assert.Equal(["gone"], await store.InsertAsync("acme", [NewLink("gone")], CancellationToken.None));
    }

    [Fact]
    public async Task Updates_replace_tags_and_fields()
    {
        var store = await CreateAsync("acme");
        await store.InsertAsync("acme", [NewLink("x", "old")], CancellationToken.None);

        var changed = NewLink("x", "a", "b") with { Destination = "https://example.org/", Disabled = true, Campaign = "c" };
        Assert.True(await store.UpdateAsync("acme", changed, CancellationToken.None));

        var found = await store.FindAsync("acme", "x", CancellationToken.None);
        Assert.Equal(changed with { Tags = [] }, found! with { Tags = [] });
        Assert.Equal(["a", "b"], found.Tags);
        Assert.False(await store.UpdateAsync("acme", NewLink("missing"), CancellationToken.None));
    }

    [Fact]
    public async Task Lists_newest_first_filters_by_tag_and_pages()
    {
        var store = await CreateAsync("acme");
        for (var i = 0; i < 12; i++)
        {
            await store.InsertAsync("acme", [NewLink($"l{i}", i % 2 == 0 ? "even" : "odd")], CancellationToken.None);
        }

        var codes = new List<string>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync("acme", new LinkQuery(cursor, 4, "even", null), CancellationToken.None);
            codes.AddRange(page.Items.Select(l => l.Code));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(["l10", "l8", "l6", "l4", "l2", "l0"], codes);
    }

    [Fact]
    public async Task Finds_text_in_code_destination_campaign_or_tag_ignoring_case_newest_first_page_by_page()
    {
        var store = await CreateAsync("acme");
        Link[] links =
        [
            NewLink("alpha") with { Destination = "https://example.com/Summer-Sale" },
            NewLink("beta") with { Campaign = "Summer24" },
            NewLink("gamma", "late-summer"),
            NewLink("delta") with { Campaign = "winter" },
            NewLink("SUMMERx"),
            NewLink("epsilon") with { Destination = "https://example.com/summer" },
        ];
        foreach (var link in links)
        {
            await store.InsertAsync("acme", [link], CancellationToken.None);
        }

        await store.DeleteAsync("acme", "epsilon", T0, CancellationToken.None);

        var codes = new List<string>();
        string? cursor = null;
        do
        {
            var page = await store.ListAsync("acme", new LinkQuery(cursor, 2, null, null, "sUmMeR"), CancellationToken.None);
            Assert.True(page.Items.Count <= 2);
            codes.AddRange(page.Items.Select(l => l.Code));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(["SUMMERx", "gamma", "beta", "alpha"], codes);
        Assert.Equal(["gamma"], (await store.ListAsync("acme", new LinkQuery(null, 10, "late-summer", null, "summer"), CancellationToken.None)).Items.Select(l => l.Code));
        Assert.Empty((await store.ListAsync("acme", new LinkQuery(null, 10, null, "winter", "summer"), CancellationToken.None)).Items);
        Assert.Empty((await store.ListAsync("acme", new LinkQuery(null, 10, null, null, "%"), CancellationToken.None)).Items); // not a wildcard
    }

    [Fact]
    public async Task Refuses_a_cursor_it_did_not_make()
    {
        var store = await CreateAsync("acme");
        await Assert.ThrowsAsync<InvalidCursorException>(() => store.ListAsync("acme", new LinkQuery("nonsense", 10, null, null), CancellationToken.None));
    }
}
