namespace LinkTracker.Cli;

internal static class CliErrors
{
    /// <summary>Prints the message on standard error and returns the exit code of a refused command.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
