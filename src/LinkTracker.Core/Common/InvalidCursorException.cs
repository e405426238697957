namespace LinkTracker.Core.Common;

/// <summary>A paging cursor that no listing of this store produced.</summary>
public sealed class InvalidCursorException()
    : Exception("The cursor is not one this listing returned. Start again without a cursor, or pass the 'next' value of the previous page unchanged.");
