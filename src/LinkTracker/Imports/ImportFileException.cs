namespace LinkTracker.Imports;

/// <summary>The file as a whole cannot be imported (wrong format, missing column, unknown tenant); the message says what to fix.</summary>
public sealed class ImportFileException(string message) : Exception(message);
