using System.Security.Cryptography;

namespace V2V.Simulator.Protocol;

/// <summary>Ids shaped as OpenAI's: a prefix and 21 base-62 characters (e.g. <c>event_C9G5RJeJ2gF77mV7f2B1j</c>).</summary>
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
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return string.Concat(prefix, chars);
    }
}
