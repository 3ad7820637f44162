using System.Text.Json;
using V2V.Realtime.Protocol;
using V2V.Testing;
using V2V.Voice.Conversation;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// <see cref="VoiceSession.SendImageAsync"/>: the user shows the agent an image, answered at once or seen with their next
/// words; a new connection is given the last ones shown; what the service would refuse is refused here, named.
/// </summary>
public sealed class ImageInputTests
{
    [Fact]
    public async Task AnImageWithAQuestion_IsAnsweredAtOnce_AsTheModelSawIt()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false);

        await harness.Session.SendImageAsync(TestImages.Png(40, 30), ImageDetail.Low, "what is this", askForAnswer: true, TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer to the image");

        var answer = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.Assistant && t.IsFinal);
        Assert.Equal("You said: what is this, and showed me a PNG image of 40 by 30 pixels.", answer.Text);
        var image = ImageParts(harness).Single();
        Assert.StartsWith("data:image/png;base64,", image.GetProperty("image_url").GetString(), StringComparison.Ordinal);
        Assert.Equal("low", image.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnImageAlone_JoinsTheConversation_WithoutAnAnswer_AndANewConnectionGetsTheLastTwo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false);
        foreach (var width in new[] { 10, 20, 30 })
        {
            await harness.Session.SendImageAsync(TestImages.Png(width, 10), cancellationToken: ct);
        }
        await harness.WaitForSentAsync("conversation.item.create", c => c.Count == 3, "the three images");
        Assert.Empty(harness.Sent("response.create"));

        // The service's answer to the next update is this connection's last event: the next one is given the history.
        harness.LoseTheConnectionAtTheServersNextEvent();
        await harness.Session.UpdateInstructionsAsync("Look closely.", ct);
        await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the next connection");
        var replayed = await harness.WaitForSentAsync("conversation.item.create", c => c.Count >= 6, "the history replayed");

        var kinds = replayed.Skip(3).Take(3).Select(c => string.Join(",", Parts(c).Select(p => p.GetProperty("type").GetString()))).ToList();
        Assert.Equal(["input_text", "input_image", "input_image"], kinds);
        Assert.Equal("[an image shown earlier]", Parts(replayed[3]).Single().GetProperty("text").GetString());
        Assert.Equal(ImageUrl(replayed[1]), ImageUrl(replayed[4]));
        Assert.Equal(ImageUrl(replayed[2]), ImageUrl(replayed[5]));
        Assert.Empty(harness.Sent("response.create"));
        Assert.Empty(harness.Outputs.OfType<ErrorOutput>());
    }

    [Fact]
    public async Task AnImageTheServiceWouldRefuse_IsRefusedHere_NamingWhy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false);

        var gif = await Assert.ThrowsAsync<ArgumentException>(() => harness.Session.SendImageAsync(TestImages.GifHeader(), cancellationToken: ct));
        var empty = await Assert.ThrowsAsync<ArgumentException>(() => harness.Session.SendImageAsync(Array.Empty<byte>(), cancellationToken: ct));
        var large = await Assert.ThrowsAsync<ArgumentException>(() => harness.Session.SendImageAsync(new byte[UserImage.MaxBytes + 1], cancellationToken: ct));

        Assert.Equal("image", gif.ParamName);
        Assert.Contains("must be a PNG or JPEG", gif.Message, StringComparison.Ordinal);
        Assert.Contains("474946", gif.Message, StringComparison.Ordinal); // "GIF"
        Assert.Contains("is empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("at most 10 MiB", large.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Sent("conversation.item.create"));
        // A JPEG is taken as one.
        await harness.Session.SendImageAsync(TestImages.JpegHeader(64, 48), cancellationToken: ct);
        await harness.WaitForSentAsync("conversation.item.create");
        Assert.StartsWith("data:image/jpeg;base64,", ImageParts(harness).Single().GetProperty("image_url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnTheBetaProtocol_AnImage_IsNotSupported()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, dialect: RealtimeDialect.Beta);

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => harness.Session.SendImageAsync(TestImages.Png(2, 2), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("GA", ex.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonElement> Parts(JsonElement create) => create.GetProperty("item").GetProperty("content").EnumerateArray();

    private static string? ImageUrl(JsonElement create) =>
        Parts(create).Single(p => p.GetProperty("type").GetString() == "input_image").GetProperty("image_url").GetString();

    private static IEnumerable<JsonElement> ImageParts(SessionHarness harness) =>
        harness.Sent("conversation.item.create").SelectMany(Parts).Where(p => p.GetProperty("type").GetString() == "input_image");
}
