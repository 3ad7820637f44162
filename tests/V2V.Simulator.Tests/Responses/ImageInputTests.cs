using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;
using V2V.Testing;

namespace V2V.Simulator.Tests.Responses;

/// <summary>
/// Images in a user message (<c>input_image</c>, GA): taken as PNG or JPEG data URIs, held in the conversation as what they
/// are (not their bytes), described by the agent; anything else refused, naming the field.
/// </summary>
public sealed class ImageInputTests
{
    [Fact]
    public async Task AnImageWithWords_IsDescribedInTheAnswer_AndTheItemHoldsNotItsBytes()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendRawAsync("""{"type":"session.update","session":{"type":"realtime","output_modalities":["text"]}}""");
        await client.UntilAsync("session.updated");

        await client.SendAsync(Message(
            new JsonObject { ["type"] = "input_text", ["text"] = "what is this" },
            Image(TestImages.DataUri(TestImages.Png(40, 30), "image/png"), "low"),
            Image(TestImages.DataUri(TestImages.JpegHeader(640, 480), "image/jpeg"), null)));
        var added = (await client.UntilAsync("conversation.item.added")).Last()["item"]!;
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("response.done");

        Assert.Equal(
            "You said: what is this, and showed me a PNG image of 40 by 30 pixels and a JPEG image of 640 by 480 pixels.",
            events.OfType("response.output_text.done").Single().Str("text"));
        var parts = added["content"]!.AsArray();
        Assert.Equal(["input_text", "input_image", "input_image"], parts.Select(p => p!.Str("type")));
        Assert.Equal(["low", "auto"], parts.Skip(1).Select(p => p!.Str("detail")));
        Assert.DoesNotContain(parts, p => p!.AsObject().ContainsKey("image_url"));
    }

    [Theory]
    [InlineData("https://example.com/cat.png", "data URIs")]
    [InlineData("data:image/gif;base64,R0lGODlhAQABAAAAACw=", "Supported formats are PNG and JPEG")]
    [InlineData("data:image/png;base64,not base64!", "not valid base64")]
    [InlineData("data:image/png;base64,/9j/4AAQSkZJRg==", "not a PNG image")]
    public async Task AnImageTheServiceCannotRead_IsRefused_AndTheConversationIsUnchanged(string imageUrl, string why)
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(Message(Image(imageUrl, null)));
        var error = (await client.NextAsync())["error"]!;

        Assert.Equal("invalid_value", error.Str("code"));
        Assert.Contains(why, error.Str("message"), StringComparison.Ordinal);
        // The next item is the first the conversation holds.
        await client.SendAsync(ConversationHelpers.UserText("hello"));
        Assert.Null((await client.UntilAsync("conversation.item.added")).Last()["previous_item_id"]?.GetValue<string>());
    }

    [Fact]
    public async Task InBeta_AnImage_IsNotAContentType()
    {
        await using var server = await Servers.StartAsync(beta: true);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using var _c = client;

        await client.SendAsync(Message(Image(TestImages.DataUri(TestImages.Png(2, 2), "image/png"), null)));

        Assert.Equal("error", (await client.NextAsync()).Type());
    }

    private static JsonObject Message(params JsonObject[] parts) => new()
    {
        ["type"] = "conversation.item.create",
        ["item"] = new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray([.. parts]) },
    };

    private static JsonObject Image(string url, string? detail)
    {
        var image = new JsonObject { ["type"] = "input_image", ["image_url"] = url };
        if (detail is not null)
        {
            image["detail"] = detail;
        }
        return image;
    }
}
