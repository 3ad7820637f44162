namespace V2V.Ten.Messages;

/// <summary>A data message (e.g. <c>text_data</c>): no answer expected.</summary>
public sealed class DataMessage : TenMessage
{
    /// <summary>Creates a data message.</summary>
    public DataMessage(string name) : base(name) { }
}
