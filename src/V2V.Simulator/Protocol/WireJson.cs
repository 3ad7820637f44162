using System.Text.Encodings.Web;
using System.Text.Json;

namespace V2V.Simulator.Protocol;

/// <summary>
/// JSON as the service writes it: only the escapes JSON itself requires. Recorded GA traffic carries the '+' of base64
/// and non-ASCII text as they are (<c>"delta":"...+f/8//r/+P..."</c>, <c>"Lila’s"</c>), where System.Text.Json's default
/// encoder writes <c>\u002B</c> and <c>\u2019</c>: every audio delta would cost a client an unescape the service never
/// asks of it, and be about 8% longer.
/// </summary>
internal static class WireJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
