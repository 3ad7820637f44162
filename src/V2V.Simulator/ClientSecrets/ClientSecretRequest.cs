using System.Text.Json;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;
using RealtimeDialect = V2V.Realtime.Protocol.RealtimeDialect;

namespace V2V.Simulator.ClientSecrets;

/// <summary>
/// The body of <c>POST .../client_secrets</c> (GA's <c>RealtimeCreateClientSecretRequest</c>), checked as strictly as
/// the service checks it: <c>expires_after</c> (anchor <c>created_at</c>, 10 to 7200 seconds, 600 by default) and an
/// optional realtime <c>session</c>, held to the schema and to the service's rules as a <c>session.update</c>'s session
/// is (<see cref="SessionConfig.Apply"/>). An empty body takes every default.
/// </summary>
internal sealed class ClientSecretRequest
{
    public const int MinSeconds = 10;

    public const int MaxSeconds = 7200;

    public const int DefaultSeconds = 600;

    private static readonly ClientEventValidator Validator = new(ProtocolSchemas.For(RealtimeDialect.GA));

    private ClientSecretRequest(TimeSpan lifetime, JsonElement? session, SessionConfig config)
    {
        Lifetime = lifetime;
        Session = session;
        Config = config;
    }

    /// <summary>How long the secret opens sessions.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The secret's <c>session</c> as sent (its own copy, kept beyond the request), or null without one.</summary>
    public JsonElement? Session { get; }

    /// <summary>The secret's <c>session.model</c>, or null when it names none (a session then takes the URL's <c>?model=</c>).</summary>
    public string? Model => ModelOf(Session);

    /// <summary>The configuration a session opened with the secret starts with: the answer's <c>session</c> object.</summary>
    public SessionConfig Config { get; }

    /// <summary>The request, or null with the <paramref name="error"/> to answer 400 with.</summary>
    /// <param name="body">The body as received; empty means every default.</param>
    /// <param name="azure">The server runs Azure's GA profile, where a transcription model is a deployment name.</param>
    /// <param name="error">Why the request is refused, its param a dotted path from the body's root.</param>
    public static ClientSecretRequest? Read(ReadOnlyMemory<byte> body, bool azure, out RealtimeError? error)
    {
        if (body.IsEmpty)
        {
            error = null;
            return new ClientSecretRequest(TimeSpan.FromSeconds(DefaultSeconds), null, NewConfig(null));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            error = RealtimeError.Invalid(null, $"We could not parse the JSON body of your request. The API expects a JSON object, but what was sent was not valid JSON. ({e.Message})", null, null);
            return null;
        }

        using (document)
        {
            return Read(document.RootElement, azure, out error);
        }
    }

    private static ClientSecretRequest? Read(JsonElement root, bool azure, out RealtimeError? error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = RealtimeError.Invalid("invalid_type", $"The request body must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}.", null, null);
            return null;
        }

        var session = root.TryGetProperty("session", out var given) ? given.Clone() : (JsonElement?)null;
        error = (ExpiresAfterRefusal(root) ?? (session is { ValueKind: JsonValueKind.Object } s ? SessionUpdateRules.RefuseTranscription(s) : null))?.ToError(null)
            ?? Validator.ValidateBody("RealtimeCreateClientSecretRequest", root);
        if (error is not null)
        {
            return null;
        }

        var config = NewConfig(ModelOf(session));
        if (session is { } configured && config.Apply(configured, assistantAudioSent: false, azure) is { } refused)
        {
            error = refused.ToError(null);
            return null;
        }

        return new ClientSecretRequest(TimeSpan.FromSeconds(Seconds(root)), session, config);
    }

    private static string? ModelOf(JsonElement? session) =>
        session is { } s && s.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String && model.GetString() is { Length: > 0 } name ? name : null;

    /// <summary>
    /// The schema says the same, but worded by the schema library, or as the service words one bound: these name the
    /// whole range, so that a client learns it from one refusal.
    /// </summary>
    private static InvalidParam? ExpiresAfterRefusal(JsonElement root)
    {
        if (!root.TryGetProperty("expires_after", out var after) || after.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (after.TryGetProperty("anchor", out var anchor) && anchor.ValueKind == JsonValueKind.String
            && SupportedValues.Check(anchor.GetString()!, ["created_at"], "expires_after.anchor") is { } badAnchor)
        {
            return badAnchor;
        }

        return after.TryGetProperty("seconds", out var seconds)
            && NumericLimits.Integer(seconds, MinSeconds, MaxSeconds, "expires_after.seconds") is { } badSeconds
            ? badSeconds with { Message = $"Invalid 'expires_after.seconds': expected a number of seconds between {MinSeconds} and {MaxSeconds} (2 hours), but got {seconds.GetRawText()} instead." }
            : null;
    }

    /// <summary>Checked against the schema: an integer in range (JSON Schema counts 600.0 as one).</summary>
    private static int Seconds(JsonElement root) =>
        root.TryGetProperty("expires_after", out var after) && after.TryGetProperty("seconds", out var seconds) ? (int)seconds.GetDouble() : DefaultSeconds;

    /// <summary>
    /// No session has started, so none has an end yet: its <c>expires_at</c> is 0, as in the service's example of this
    /// answer. Each session the secret opens has an id and an end of its own.
    /// </summary>
    private static SessionConfig NewConfig(string? model) => new(DialectProfile.Ga, model, DateTimeOffset.UnixEpoch);
}
