namespace V2V.Ten;

/// <summary>A property is missing, of the wrong type or out of range; the message names it and says what was expected.</summary>
public sealed class TenPropertyException : Exception
{
    /// <summary>Creates the exception for <paramref name="property"/>.</summary>
    public TenPropertyException(string property, string message) : base(message) => Property = property;

    /// <summary>Creates the exception for <paramref name="property"/>, caused by <paramref name="innerException"/> (a layer below refused its value).</summary>
    public TenPropertyException(string property, string message, Exception? innerException) : base(message, innerException) => Property = property;

    /// <summary>The property at fault.</summary>
    public string Property { get; }
}
