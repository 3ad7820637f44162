using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace V2V.Cli.Tests;

/// <summary>
/// samples/WebAgent running as its own process on a free port of loopback, and a page's side of its voice agent's socket
/// (PROTOCOL.md of V2V.AspNetCore) over a real WebSocket.
/// </summary>
internal sealed partial class WebSample : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private WebSample(Process process, StringBuilder log, Uri url)
    {
        _process = process;
        _log = log;
        Url = url;
    }

    public Uri Url { get; }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public static async Task<WebSample> StartAsync(string dll, string contentRoot)
    {
        // Its wwwroot is the sample's own (the content root); port 0: the log says which port it got.
        var process = Process.Start(PackedSamples.StartInfo(contentRoot, PackedSamples.NoVariables, dll, "--urls", "http://127.0.0.1:0"))!;
        var log = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException("the web sample exited"));
                return;
            }
            lock (log)
            {
                log.AppendLine(line);
            }
            if (ListeningOn().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Read(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new WebSample(process, log, await listening.Task.WaitAsync(PackedSamples.Patience, TestContext.Current.CancellationToken));
        }
        catch (Exception ex)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The web sample did not start listening:\n{log}", ex);
        }
    }

    /// <summary>Opens a page's socket, types <paramref name="text"/> once the greeting has been said, and returns the agent's two answers (the greeting, then the answer).</summary>
    public async Task<List<string>> TalkAsync(string text)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{Url.Authority}/voice"), guard.Token);
        await SendAsync(socket, """{"type":"start","sampleRate":16000}""", guard.Token);
        var answers = new List<string>();
        var answer = "";
        var buffer = new byte[64 * 1024];
        while (answers.Count < 2)
        {
            var result = await socket.ReceiveAsync(buffer, guard.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            if (result.MessageType != WebSocketMessageType.Text)
            {
                continue; // the agent's voice
            }
            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            var root = message.RootElement;
            Assert.NotEqual("error", root.GetProperty("type").GetString());
            if (root.GetProperty("type").GetString() != "transcript" || root.GetProperty("role").GetString() != "assistant")
            {
                continue;
            }
            // Pieces are sentences to add: a space between two only where neither brings one (as voice-agent.js joins them).
            var piece = root.GetProperty("text").GetString() ?? "";
            answer += answer.Length > 0 && piece.Length > 0 && !char.IsWhiteSpace(answer[^1]) && !char.IsWhiteSpace(piece[0]) ? " " + piece : piece;
            if (root.GetProperty("final").GetBoolean())
            {
                answers.Add(answer.Trim());
                answer = "";
                if (answers.Count == 1)
                {
                    await SendAsync(socket, JsonSerializer.Serialize(new { type = "text", text }), guard.Token);
                }
            }
        }
        await SendAsync(socket, """{"type":"stop"}""", guard.Token);
        return answers;
    }

    private static Task SendAsync(ClientWebSocket socket, string json, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
