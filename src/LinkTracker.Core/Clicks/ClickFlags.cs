namespace LinkTracker.Core.Clicks;

/// <summary>Why a click is not counted as a person's.</summary>
[Flags]
public enum ClickFlags
{
    None = 0,

    /// <summary>A HEAD request: link checkers and unfurlers, never a person.</summary>
    Head = 1,

    /// <summary>The user agent names a bot, crawler, scanner or link previewer.</summary>
    Bot = 2,

    /// <summary>The recipient parameter was too long or held control characters and was dropped.</summary>
    InvalidRecipient = 4,

    /// <summary>The code was not known here and the tenant's legacy link tracker answered the redirect (strangler fallback).</summary>
    AnsweredByLegacy = 8,

    /// <summary>The flags that make a click non-human.</summary>
    NonHuman = Head | Bot,
}
