namespace V2V.Realtime.Protocol.Serialization;

/// <summary>
/// A setting that the protocol turns off with an explicit JSON <c>null</c> (e.g. <c>turn_detection: null</c>),
/// which is not the same as leaving the field out. <see cref="Disabled"/> stands for that null in the model.
/// </summary>
public interface IDisableable<TSelf> where TSelf : class, IDisableable<TSelf>
{
    /// <summary>The instance that is written as <c>null</c> and read back from <c>null</c>.</summary>
    static abstract TSelf Disabled { get; }
}
