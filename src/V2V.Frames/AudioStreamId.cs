namespace V2V.Frames;

/// <summary>
/// Which stream a frame belongs to (TEN's <c>stream_id</c>: the user's, the agent's), typed so that it is not
/// mistaken for a sample count or a timestamp.
/// </summary>
/// <param name="Value">The id as TEN carries it.</param>
public readonly record struct AudioStreamId(long Value)
{
    /// <summary>The id as its number.</summary>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
