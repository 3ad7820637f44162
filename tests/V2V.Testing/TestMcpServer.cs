using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace V2V.Testing;

/// <summary>
/// A real MCP server on a free loopback port: the official C# MCP SDK's Streamable HTTP transport in an in-process
/// Kestrel, so what speaks MCP to it (the local realtime server's MCP tools) is held to the SDK, not to a fake. Its
/// tools: <c>get_weather(city)</c> (read-only), <c>book_table(restaurant)</c>, <c>always_fails()</c> (a result with
/// <c>isError</c>) and <c>slow_lookup(topic)</c>, which answers only once the test calls <see cref="ReleaseSlowLookup"/>.
/// It records every HTTP request (<see cref="Requests"/>) and every tool call (<see cref="Calls"/>) it received.
/// </summary>
public sealed class TestMcpServer : IAsyncDisposable
{
    /// <summary>What <c>always_fails</c> answers, as the text of its error result.</summary>
    public const string FailureText = "The kitchen is on fire.";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TestMcpRequest> _requests = new();
    private readonly ConcurrentQueue<TestMcpCall> _calls = new();
    private readonly TaskCompletionSource<string> _slowLookupAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _slowLookupStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _slowLookupCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _deleteReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestMcpServer(WebApplication app, TestMcpServerOptions options)
    {
        _app = app;
        Options = options;
    }

    /// <summary>The MCP endpoint (<c>http://127.0.0.1:PORT/mcp</c>): the <c>server_url</c> to give.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The options it was started with; <see cref="TestMcpServerOptions.AnswerHttp500"/> may be switched while it runs.</summary>
    public TestMcpServerOptions Options { get; }

    /// <summary>Every HTTP request that reached the endpoint, refused ones included, in order.</summary>
    public IReadOnlyList<TestMcpRequest> Requests => _requests.ToArray();

    /// <summary>Every tool call the SDK handed to a tool, in order.</summary>
    public IReadOnlyList<TestMcpCall> Calls => _calls.ToArray();

    /// <summary>Completes when <c>slow_lookup</c> has been called (it then waits for <see cref="ReleaseSlowLookup"/>).</summary>
    public Task SlowLookupStarted => _slowLookupStarted.Task;

    /// <summary>Completes when a waiting <c>slow_lookup</c> was cancelled: its caller went away (the HTTP request was aborted).</summary>
    public Task SlowLookupCancelled => _slowLookupCancelled.Task;

    /// <summary>Completes when a client ended its MCP session (an HTTP DELETE, as the transport asks of a client that leaves).</summary>
    public Task DeleteReceived => _deleteReceived.Task;

    /// <summary>Lets <c>slow_lookup</c> answer <paramref name="answer"/>.</summary>
    public void ReleaseSlowLookup(string answer) => _slowLookupAnswer.TrySetResult(answer);

    /// <summary>Starts a server on 127.0.0.1 and a free port.</summary>
    public static async Task<TestMcpServer> StartAsync(TestMcpServerOptions? options = null)
    {
        options ??= new TestMcpServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        // The tools read the Authorization header of the request that called them (the SDK runs a tool in its request's
        // execution context, stateless or not).
        var http = new HttpContextAccessor();
        builder.Services.AddSingleton<IHttpContextAccessor>(http);
        TestMcpServer? server = null;
        builder.Services.AddMcpServer()
            .WithHttpTransport(t =>
            {
                // Otherwise the SDK's own default (stateless, in 2.4): what a server built from its samples runs.
                if (options.Stateful)
                {
                    t.Stateless = false;
                }
            })
            .WithTools(Tools(() => server!, http));
        var app = builder.Build();
        server = new TestMcpServer(app, options);
        app.Use(server.GuardAsync);
        app.MapMcp("/mcp");
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(new Uri(address), "/mcp");
        return server;
    }

    /// <summary>Records the request, then refuses it as the options say: 500 for all, 401 without the required token.</summary>
    private async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new TestMcpRequest(context.Request.Method, headers));
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            _deleteReceived.TrySetResult();
        }

        if (Options.AnswerHttp500)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("{\"error\":\"the test server answers 500\"}").ConfigureAwait(false);
            return;
        }

        if (Options.RequiredBearerToken is { } token && headers.GetValueOrDefault("Authorization") != $"Bearer {token}")
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private static McpServerTool[] Tools(Func<TestMcpServer> server, IHttpContextAccessor http)
    {
        void Record(string tool, Dictionary<string, string> arguments) =>
            server()._calls.Enqueue(new TestMcpCall(tool, arguments, http.HttpContext?.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null));

        return
        [
            McpServerTool.Create(
                (string city) =>
                {
                    Record("get_weather", new() { ["city"] = city });
                    return $"Sunny in {city}, 21 C";
                },
                new McpServerToolCreateOptions { Name = "get_weather", Description = "The weather of a city, now.", ReadOnly = true }),
            McpServerTool.Create(
                (string restaurant) =>
                {
                    Record("book_table", new() { ["restaurant"] = restaurant });
                    return $"Booked a table at {restaurant} for 8 pm.";
                },
                new McpServerToolCreateOptions { Name = "book_table", Description = "Books a table at a restaurant.", ReadOnly = false }),
            McpServerTool.Create(
                () =>
                {
                    Record("always_fails", []);
                    return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = FailureText }] };
                },
                new McpServerToolCreateOptions { Name = "always_fails", Description = "Fails, every time.", ReadOnly = true }),
            McpServerTool.Create(
                async (string topic, CancellationToken cancellationToken) =>
                {
                    Record("slow_lookup", new() { ["topic"] = topic });
                    var self = server();
                    self._slowLookupStarted.TrySetResult();
                    try
                    {
                        return await self._slowLookupAnswer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        self._slowLookupCancelled.TrySetResult();
                        throw;
                    }
                },
                new McpServerToolCreateOptions { Name = "slow_lookup", Description = "Looks a topic up; answers when the test lets it.", ReadOnly = true }),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        // A slow_lookup still waiting must not hold the host's shutdown.
        _slowLookupAnswer.TrySetCanceled();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>How a <see cref="TestMcpServer"/> answers.</summary>
public sealed class TestMcpServerOptions
{
    /// <summary>When set, a request without <c>Authorization: Bearer</c> and this token gets 401.</summary>
    public string? RequiredBearerToken { get; init; }

    /// <summary>Every request gets HTTP 500 (may be switched while the server runs).</summary>
    public bool AnswerHttp500 { get; set; }

    /// <summary>
    /// The SDK's stateful sessions: <c>initialize</c> gets an <c>Mcp-Session-Id</c> that every later request must carry.
    /// False (the default) leaves the SDK's own default, stateless in 2.4.
    /// </summary>
    public bool Stateful { get; init; }
}

/// <summary>One HTTP request the <see cref="TestMcpServer"/> received: its method and headers (names case-insensitive).</summary>
public sealed record TestMcpRequest(string Method, IReadOnlyDictionary<string, string> Headers);

/// <summary>One tool call the <see cref="TestMcpServer"/> ran: the tool, its arguments, and the Authorization header it came with (null: none).</summary>
public sealed record TestMcpCall(string Tool, IReadOnlyDictionary<string, string> Arguments, string? Authorization);
