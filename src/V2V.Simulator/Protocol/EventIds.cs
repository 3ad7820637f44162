namespace V2V.Simulator.Protocol;

/// <summary>
/// Ids shaped as OpenAI's: a prefix and 21 base-62 characters (e.g. <c>event_C9G5RJeJ2gF77mV7f2B1j</c>). Every
/// server event gets one, so they come from <see cref="Random.Shared"/>: ids must be unique, not secret, and 21
/// calls into the system's cryptographic generator per event were a visible part of the server's CPU under load.
/// </summary>
internal static class EventIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Event() => New("event_");

    public static string Session() => New("sess_");

    public static string Conversation() => New("conv_");

    public static string Item() => New("item_");

    public static string Response() => New("resp_");

    public static string Call() => New("call_");

    private static string New(string prefix)
    {
        Span<char> chars = stackalloc char[21];
        Random.Shared.GetItems(Alphabet, chars);
        return string.Concat(prefix, chars);
    }
}
