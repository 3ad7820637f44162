using System.Text.Json.Nodes;
using V2V.Graph.Definition;
using V2V.Ten.Messages;

namespace V2V.Graph.Hosting;

/// <summary>Applies a destination's <see cref="MessageConversion"/>: a new message for that destination, the original untouched (other destinations share it).</summary>
internal static class MessageConverter
{
    /// <exception cref="InvalidOperationException">A rule's path runs into a value of another shape.</exception>
    public static Cmd Convert(Cmd cmd, MessageConversion conversion)
    {
        var converted = new Cmd(conversion.ConvertName(cmd.Name)) { Source = cmd.Source };
        Move(conversion.ConvertProperties(cmd.Properties), converted);
        return converted;
    }

    /// <exception cref="InvalidOperationException">A rule's path runs into a value of another shape.</exception>
    public static DataMessage Convert(DataMessage data, MessageConversion conversion)
    {
        var converted = new DataMessage(conversion.ConvertName(data.Name)) { Source = data.Source };
        Move(conversion.ConvertProperties(data.Properties), converted);
        return converted;
    }

    /// <summary>A result keeps its status, detail and answering extension; its properties are converted.</summary>
    /// <exception cref="InvalidOperationException">A rule's path runs into a value of another shape.</exception>
    public static CmdResult ConvertResult(CmdResult result, MessageConversion conversion)
    {
        var converted = result.Status == StatusCode.Ok ? CmdResult.Ok(result.Detail) : CmdResult.Error(result.Detail ?? "error");
        converted.Source = result.Source;
        Move(conversion.ConvertProperties(result.Properties), converted);
        return converted;
    }

    // A JSON node has one parent: each value leaves the converted bag before it joins the message's.
    private static void Move(JsonObject properties, TenMessage message)
    {
        foreach (var (name, value) in properties.ToList())
        {
            properties.Remove(name);
            message.Set(name, value);
        }
    }
}
