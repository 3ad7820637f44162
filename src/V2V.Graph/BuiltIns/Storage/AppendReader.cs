using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns.Storage;

/// <summary>
/// Reads an <c>append</c> data message as <c>openai_v2v</c> sends it per final turn: <c>text</c> (string, not empty),
/// <c>role</c> (<c>user</c> or <c>assistant</c>), <c>stream_id</c> (int, optional, 0 when absent), and, as TEN's
/// storage extension honours it, <c>is_final</c> (a turn marked <c>false</c> is not a turn yet and is skipped).
/// </summary>
internal static class AppendReader
{
    /// <summary>The turn, or null with <paramref name="problem"/> naming the property at fault (null too for a non-final piece, with no problem).</summary>
    public static StoredTurn? Read(DataMessage append, out string? problem)
    {
        problem = null;
        try
        {
            if (append.GetBool("is_final") == false)
            {
                return null;
            }
            var text = append.GetString("text");
            if (string.IsNullOrWhiteSpace(text))
            {
                problem = "property 'text' is missing or empty; an append carries the turn's final text.";
                return null;
            }
            var role = append.GetString("role");
            if (role is not ("user" or "assistant"))
            {
                problem = $"property 'role' must be \"user\" or \"assistant\", got {(role is null ? "nothing" : $"\"{role}\"")}.";
                return null;
            }
            return new StoredTurn(role, text, append.GetInt64("stream_id") ?? 0);
        }
        catch (TenPropertyException ex)
        {
            problem = ex.Message;
            return null;
        }
    }
}
