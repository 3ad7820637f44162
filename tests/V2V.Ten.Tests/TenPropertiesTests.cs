using System.Text.Json.Nodes;
using V2V.Ten;

namespace V2V.Ten.Tests;

public sealed class TenPropertiesTests
{
    private static readonly TenManifest Manifest = TenManifest.Parse("""
        { "name": "openai_v2v", "api": { "property": { "properties": {
            "api_key": { "type": "string" }, "model": { "type": "string" }, "temperature": { "type": "float64" },
            "max_tokens": { "type": "int64" }, "server_vad": { "type": "bool" }, "tools": { "type": "array" }, "extra": { "type": "object" } },
          "required": ["model"] } } }
        """);

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void Resolve_OverlaysGraphPropertiesOnDefaults()
    {
        var result = TenProperties.Resolve(Manifest, Obj("""{ "model": "gpt-realtime", "temperature": 0.8 }"""), Obj("""{ "temperature": 0.6 }"""), Env());

        Assert.Equal("gpt-realtime", result["model"]!.GetValue<string>());
        Assert.Equal(0.6, result["temperature"]!.GetValue<double>());
    }

    [Fact]
    public void Resolve_TakesIntegersSetFromCode_OfAnyCSharpType_AsThoseParsedFromAFile()
    {
        var fromCode = new JsonObject { ["model"] = "m", ["max_tokens"] = 8000, ["temperature"] = 1 };
        var small = new JsonObject { ["model"] = "m", ["max_tokens"] = (short)12 };

        Assert.Equal(8000, TenProperties.Resolve(Manifest, null, fromCode, Env())["max_tokens"]!.GetValue<int>());
        Assert.Equal(12, TenProperties.Resolve(Manifest, null, small, Env())["max_tokens"]!.GetValue<short>());
        var fraction = Assert.Throws<TenPropertyException>(() => TenProperties.Resolve(Manifest, null, new JsonObject { ["model"] = "m", ["max_tokens"] = 1.5 }, Env()));
        Assert.Contains("must be an integer", fraction.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LeavesItsInputsUntouched_AndCanRunTwice()
    {
        var defaults = Obj("""{ "model": "gpt-realtime", "tools": [1, 2] }""");

        var first = TenProperties.Resolve(Manifest, defaults, null, Env());
        var second = TenProperties.Resolve(Manifest, defaults, null, Env());

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal("""{"model":"gpt-realtime","tools":[1,2]}""", defaults.ToJsonString());
    }

    [Fact]
    public void Resolve_ReplacesEnvReference()
    {
        var result = TenProperties.Resolve(Manifest, Obj("""{ "model": "m", "api_key": "${env:OPENAI_API_KEY}" }"""), null, Env(("OPENAI_API_KEY", "sk-123")));

        Assert.Equal("sk-123", result["api_key"]!.GetValue<string>());
    }

    [Fact]
    public void Resolve_UsesTheDefaultOfAnEnvReferenceWhenTheVariableIsUnset()
    {
        var result = TenProperties.Resolve(Manifest, Obj("""{ "model": "${env:V2V_MODEL|gpt-realtime}", "api_key": "${env:OPENAI_API_KEY|}" }"""), null, Env());

        Assert.Equal("gpt-realtime", result["model"]!.GetValue<string>());
        Assert.Equal("", result["api_key"]!.GetValue<string>());
    }

    [Fact]
    public void Resolve_PrefersTheVariableOverTheDefault()
    {
        var result = TenProperties.Resolve(Manifest, Obj("""{ "model": "${env:V2V_MODEL|gpt-realtime}" }"""), null, Env(("V2V_MODEL", "gpt-4o-realtime")));

        Assert.Equal("gpt-4o-realtime", result["model"]!.GetValue<string>());
    }

    [Fact]
    public void Resolve_ReadsEnvTextAsTheDeclaredType()
    {
        var result = TenProperties.Resolve(
            Manifest,
            Obj("""{ "model": "m", "server_vad": "${env:VAD}", "max_tokens": "${env:MAX}", "temperature": "${env:T|0.5}" }"""),
            null,
            Env(("VAD", "true"), ("MAX", "4096")));

        Assert.True(result["server_vad"]!.GetValue<bool>());
        Assert.Equal(4096L, result["max_tokens"]!.GetValue<long>());
        Assert.Equal(0.5, result["temperature"]!.GetValue<double>());
    }

    [Fact]
    public void Resolve_MissingVariableWithoutDefault_LeavesThePropertyUnset_AsTensRuntimeDoes()
    {
        // TEN-Agent's graphs say "api_key": "${env:OPENAI_REALTIME_API_KEY}"; where it is not set, TEN gives null.
        var result = TenProperties.Resolve(Manifest, Obj("""{ "model": "m", "api_key": "${env:OPENAI_API_KEY}" }"""), null, Env());

        Assert.True(result.ContainsKey("api_key"));
        Assert.Null(result["api_key"]);
        Assert.Equal("m", result["model"]!.GetValue<string>());
    }

    [Fact]
    public void Resolve_RequiredPropertyFromAMissingVariable_NamesThePropertyAndTheVariable()
    {
        var ex = Assert.Throws<TenPropertyException>(() =>
            TenProperties.Resolve(Manifest, Obj("""{ "model": "${env:V2V_MODEL}" }"""), null, Env()));

        Assert.Equal("model", ex.Property);
        Assert.Contains("'model' is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("V2V_MODEL", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "model": "m", "max_tokens": "many" }""", "max_tokens", "an integer")]
    [InlineData("""{ "model": "m", "max_tokens": 1.5 }""", "max_tokens", "an integer")]
    [InlineData("""{ "model": "m", "server_vad": "maybe" }""", "server_vad", "true or false")]
    [InlineData("""{ "model": "m", "temperature": "warm" }""", "temperature", "a number")]
    [InlineData("""{ "model": 42 }""", "model", "a string")]
    [InlineData("""{ "model": "m", "tools": {} }""", "tools", "an array")]
    [InlineData("""{ "model": "m", "extra": [] }""", "extra", "an object")]
    public void Resolve_WrongType_NamesThePropertyAndTheExpectedType(string overrides, string property, string expected)
    {
        var ex = Assert.Throws<TenPropertyException>(() => TenProperties.Resolve(Manifest, null, Obj(overrides), Env()));

        Assert.Equal(property, ex.Property);
        Assert.Contains($"'{property}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ReplacesEnvReferencesInsideObjectsAndArrays_AnUnsetOneBecomingNull()
    {
        var overrides = Obj("""
            { "model": "m", "tools": [ { "name": "crm", "token": "${env:CRM_TOKEN}", "spare": "${env:UNSET_TOKEN}" }, "${env:TOOL_NAME|lookup}" ],
              "extra": { "nested": { "key": "${env:EXTRA_KEY}" } } }
            """);

        var result = TenProperties.Resolve(Manifest, null, overrides, Env(("CRM_TOKEN", "crm-secret"), ("EXTRA_KEY", "k-1")));

        Assert.Equal("crm-secret", result["tools"]![0]!["token"]!.GetValue<string>());
        Assert.True(result["tools"]![0]!.AsObject().ContainsKey("spare"));
        Assert.Null(result["tools"]![0]!["spare"]);
        Assert.Equal("lookup", result["tools"]![1]!.GetValue<string>());
        Assert.Equal("k-1", result["extra"]!["nested"]!["key"]!.GetValue<string>());
        Assert.Equal("${env:CRM_TOKEN}", overrides["tools"]![0]!["token"]!.GetValue<string>()); // the input is untouched
    }

    [Fact]
    public void Resolve_ReadsJsonTextAsAnArrayOrAnObject_WhenDeclaredSo_WithoutShowingABadOne()
    {
        var result = TenProperties.Resolve(Manifest, null, Obj("""{ "model": "m", "tools": "${env:TOOLS}", "extra": "{\"a\": 1}" }"""),
            Env(("TOOLS", """[{"name":"crm","token":"crm-secret"}]""")));
        var bad = Assert.Throws<TenPropertyException>(() => TenProperties.Resolve(Manifest, null, Obj("""{ "model": "m", "tools": "[{\"token\": \"crm-secret\"" }"""), Env()));

        Assert.Equal("crm", result["tools"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(1, result["extra"]!["a"]!.GetValue<int>());
        Assert.Equal("tools", bad.Property);
        Assert.DoesNotContain("crm-secret", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UndeclaredProperty_IsKeptUnchecked_AndNamedByUndeclared()
    {
        var result = TenProperties.Resolve(Manifest, null, Obj("""{ "model": "m", "voise": "alloy", "vad_type": 3 }"""), Env());

        Assert.Equal("alloy", result["voise"]!.GetValue<string>());
        Assert.Equal(3, result["vad_type"]!.GetValue<int>());
        Assert.Equal(["vad_type", "voise"], TenProperties.Undeclared(Manifest, result));
    }

    [Fact]
    public void Resolve_DefaultThatIsAReference_ReadsTheNextVariable()
    {
        var defaults = Obj("""{ "model": "m", "api_key": "${env:OPENAI_REALTIME_API_KEY|${env:OPENAI_API_KEY|}}" }""");

        Assert.Equal("sk-b", TenProperties.Resolve(Manifest, defaults, null, Env(("OPENAI_API_KEY", "sk-b")))["api_key"]!.GetValue<string>());
        Assert.Equal("sk-a", TenProperties.Resolve(Manifest, defaults, null, Env(("OPENAI_REALTIME_API_KEY", "sk-a"), ("OPENAI_API_KEY", "sk-b")))["api_key"]!.GetValue<string>());
        Assert.Equal("", TenProperties.Resolve(Manifest, defaults, null, Env())["api_key"]!.GetValue<string>());
    }

    [Fact]
    public void Resolve_MissingRequiredProperty_NamesIt()
    {
        var ex = Assert.Throws<TenPropertyException>(() => TenProperties.Resolve(Manifest, null, Obj("""{ "temperature": 0.5 }"""), Env()));

        Assert.Equal("model", ex.Property);
        Assert.Contains("required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WrongTypeOfASecret_HidesTheValue()
    {
        var ex = Assert.Throws<TenPropertyException>(() => TenProperties.Resolve(Manifest, null, Obj("""{ "model": "m", "api_key": 123456789 }"""), Env()));

        Assert.Contains("'api_key'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("value hidden", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SecretFromTheEnvironment_NeverAppearsInMessages()
    {
        var manifest = TenManifest.Parse("""{ "name": "x", "api": { "property": { "secret_token": { "type": "int64" } } } }""");

        var ex = Assert.Throws<TenPropertyException>(() =>
            TenProperties.Resolve(manifest, Obj("""{ "secret_token": "${env:TOKEN}" }"""), null, Env(("TOKEN", "sk-do-not-show"))));

        Assert.DoesNotContain("sk-do-not-show", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api_key", true)]
    [InlineData("client_secret", true)]
    [InlineData("access_token", true)]
    [InlineData("password", true)]
    [InlineData("model", false)]
    public void LooksSecret_RecognisesSecretNames(string name, bool secret) => Assert.Equal(secret, TenProperties.LooksSecret(name));
}
