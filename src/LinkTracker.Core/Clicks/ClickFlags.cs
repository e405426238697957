namespace LinkTracker.Core.Clicks;

/// <summary>Raw facts of a click (set at the edge) and the classification the writer's enrichment stage adds.</summary>
[Flags]
public enum ClickFlags
{
    None = 0,

    /// <summary>A HEAD request: link checkers and unfurlers, never a person (edge).</summary>
    Head = 1,

    /// <summary>The user agent names a bot, crawler, scanner or link previewer, or is missing (enrichment stage).</summary>
    Bot = 2,

    /// <summary>The recipient parameter was too long or held control characters and was dropped (edge).</summary>
    InvalidRecipient = 4,

    /// <summary>The code was not known here and the tenant's legacy link tracker answered the redirect (strangler fallback).</summary>
    AnsweredByLegacy = 8,

    /// <summary>A prefetch or prerender (Purpose or Sec-Purpose: prefetch), not a person's click (edge).</summary>
    Prefetch = 16,

    /// <summary>One of many links of a recipient opened within seconds from one network: a mail scanner (enrichment stage).</summary>
    MailScanner = 32,

    /// <summary>The flags that make a click non-human.</summary>
    NonHuman = Head | Bot | Prefetch | MailScanner,
}
