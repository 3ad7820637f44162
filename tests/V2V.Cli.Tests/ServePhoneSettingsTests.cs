using V2V.Cli.Commands;
using V2V.Cli.Serve;
using V2V.Playground.Telephony;

namespace V2V.Cli.Tests;

/// <summary>
/// The phone line's settings (<c>Serve:Phone:*</c>) come through the same configuration as the others: a settings
/// file, <c>V2V_</c> variables, the flags; a bad one is said naming it under each of its names. The Twilio auth token
/// itself only ever comes from an environment variable: a settings file that holds it is refused.
/// </summary>
public sealed class ServePhoneSettingsTests
{
    private const string PublicUrl = "wss://voice.example.com/media-stream";

    [Fact]
    public void TheFileSetsThePhoneLine_AndAFlagGoesOverIt()
    {
        var configuration = Load("""{ "Serve": { "Phone": { "AuthTokenEnv": "MY_TWILIO_TOKEN", "PublicUrl": "wss://voice.example.com/media-stream", "MaxCalls": 3 } } }""",
            new Dictionary<string, string?> { ["Serve:Phone:MaxCalls"] = "5" }, out var problem);

        Assert.Null(problem);
        var phone = configuration!.Serve.Phone;
        Assert.Equal("MY_TWILIO_TOKEN", phone.AuthTokenEnv);
        Assert.Equal(new Uri(PublicUrl), phone.PublicUrl);
        Assert.Equal(5, phone.MaxCalls);
    }

    [Fact]
    public void TheLine_TakesTheTokenFromTheVariableTheSettingNames()
    {
        var telephony = new TelephonyOptions();
        var phone = new PhoneSettings { AuthTokenEnv = "MY_TWILIO_TOKEN", PublicUrl = new Uri(PublicUrl), MaxCalls = 3 };

        Assert.True(ServeTelephony.TryConfigure(telephony, name => name == "MY_TWILIO_TOKEN" ? "the-token" : null, phone, TextWriter.Null));

        Assert.Equal("the-token", telephony.AuthToken);
        Assert.Equal(new Uri(PublicUrl), telephony.PublicUrl);
        Assert.Equal(3, telephony.MaxCalls);
    }

    [Fact]
    public void AVariableNamedButNotSet_IsSaid_NamingTheSettingUnderEachOfItsNames()
    {
        var errors = new StringWriter();

        Assert.False(ServeTelephony.TryConfigure(new TelephonyOptions(), _ => null, new PhoneSettings { AuthTokenEnv = "MY_TWILIO_TOKEN" }, errors));

        var said = errors.ToString();
        Assert.Contains("MY_TWILIO_TOKEN, which is not set", said, StringComparison.Ordinal);
        Assert.Contains("Serve:Phone:AuthTokenEnv", said, StringComparison.Ordinal);
        Assert.Contains("V2V_Serve__Phone__AuthTokenEnv", said, StringComparison.Ordinal);
        Assert.Contains("--twilio-auth-token-env", said, StringComparison.Ordinal);
        Assert.Equal(1, said.Count(c => c == '\n'));
    }

    [Theory]
    [InlineData("""{ "MaxCalls": 0 }""", "Serve:Phone:MaxCalls must be at least 1, got 0", "V2V_Serve__Phone__MaxCalls", "--max-calls")]
    [InlineData("""{ "MaxCalls": "many" }""", "Serve:Phone:MaxCalls must be Int32, got 'many'", "V2V_Serve__Phone__MaxCalls", "--max-calls")]
    [InlineData("""{ "PublicUrl": "https://voice.example.com/media-stream" }""", "Serve:Phone:PublicUrl must be the stream's absolute wss:// URL", "V2V_Serve__Phone__PublicUrl", "--public-url")]
    [InlineData("""{ "PublicUrl": "media-stream" }""", "Serve:Phone:PublicUrl must be the stream's absolute wss:// URL", "V2V_Serve__Phone__PublicUrl", "--public-url")]
    [InlineData("""{ "AuthTokenEnv": "not a name" }""", "Serve:Phone:AuthTokenEnv must name the environment variable", "V2V_Serve__Phone__AuthTokenEnv", "--twilio-auth-token-env")]
    public void ABadPhoneSetting_IsOneLine_NamingItUnderEachOfItsNames(string phone, string said, string variable, string flag)
    {
        Assert.Null(Load($$"""{ "Serve": { "Phone": {{phone}} } }""", [], out var problem));

        Assert.StartsWith(said, problem, StringComparison.Ordinal);
        Assert.Contains(variable, problem, StringComparison.Ordinal);
        Assert.Contains(flag, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem!);
    }

    [Theory]
    [InlineData("""{ "Serve": { "Phone": { "AuthToken": "0123456789abcdef0123456789abcdef" } } }""", "Serve:Phone:AuthToken")]
    [InlineData("""{ "Twilio": { "AuthToken": "0123456789abcdef0123456789abcdef" } }""", "Twilio:AuthToken")]
    [InlineData("""{ "Serve": { "Phone": { "AuthTokenEnv": "0123456789abcdef0123456789abcdef" } } }""", "Serve:Phone:AuthTokenEnv")]
    public void TheAuthTokenInAFile_IsRefused_SayingToPutItInTheEnvironment_WithoutRepeatingIt(string json, string key)
    {
        Assert.Null(Load(json, [], out var problem));

        Assert.StartsWith(key, problem, StringComparison.Ordinal);
        Assert.Contains(TelephonyOptions.AuthTokenVariable, problem, StringComparison.Ordinal);
        Assert.Contains("environment variable", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAuthTokenInAFile_IsSaidWithTheFileItIsIn()
    {
        var directory = Directory.CreateTempSubdirectory("v2v-phone-settings-").FullName;
        File.WriteAllText(Path.Combine(directory, ServeConfiguration.AppSettingsFile), """{ "Serve": { "Phone": { "AuthToken": "x" } } }""");

        Assert.Null(ServeConfiguration.Load(directory, null, new Dictionary<string, string?>(), out var problem));
        Directory.Delete(directory, recursive: true);

        Assert.Contains($"in {Path.Combine(directory, ServeConfiguration.AppSettingsFile)}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspeltPhoneSetting_IsRefused_WithItsWholeKey()
    {
        Assert.Null(Load("""{ "Serve": { "Phone": { "MaxCall": 2 } } }""", [], out var problem));

        Assert.StartsWith("Serve:Phone:MaxCall is not a setting", problem, StringComparison.Ordinal);
        Assert.Contains("Serve:Phone:MaxCalls", problem, StringComparison.Ordinal);
    }

    // The file as appsettings.json beside a program of its own (no other source but the flags given and V2V_ variables, none set here).
    private static ServeConfiguration? Load(string json, Dictionary<string, string?> flags, out string? problem)
    {
        var directory = Directory.CreateTempSubdirectory("v2v-phone-settings-").FullName;
        File.WriteAllText(Path.Combine(directory, ServeConfiguration.AppSettingsFile), json);
        try
        {
            return ServeConfiguration.Load(directory, null, flags, out problem);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
