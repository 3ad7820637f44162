namespace V2V.Graph.Hosting;

/// <summary>A graph failed while running: an extension failed to init, start or stop. The message names it.</summary>
public sealed class GraphRunException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphRunException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
