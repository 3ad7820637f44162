// A realtime voice agent in an ASP.NET Core app, built on the V2V packages: the page (wwwroot/index.html) talks with
// your microphone and speakers; the agent runs here. With OPENAI_API_KEY set it talks to OpenAI; without one, to the
// local realtime server, started in this process.
//
//   dotnet pack V2V.Packages.slnf -c Release -o artifacts     (at the repository's root: the packages)
//   dotnet run --project samples/WebAgent                     (then open http://localhost:5080)
using Microsoft.Extensions.AI;
using V2V.AspNetCore;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Voice;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:5080");

var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
await using var localServer = string.IsNullOrEmpty(apiKey) ? await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions()) : null;
builder.Services.AddVoiceSessions(o =>
{
    o.Connection = localServer is null
        ? new RealtimeClientOptions { ApiKey = apiKey, Model = "gpt-realtime" }
        : new RealtimeClientOptions { BaseUri = localServer.BaseUri, Model = "gpt-realtime" };
    o.Instructions = "You are a helpful assistant. Answer in one or two short sentences.";
    o.InputTranscript = true; // the user's words in the page's transcript
    // A tool that runs here, on the server (the page gives its own, which run in the browser: see index.html).
    o.Tools = [AIFunctionFactory.Create(() => DateTimeOffset.Now.ToString("HH:mm"), "get_time", "The time now, where the server is.")];
});

var app = builder.Build();
if (localServer is null)
{
    app.Logger.LogInformation("Talking to OpenAI");
}
else
{
    app.Logger.LogInformation("No OPENAI_API_KEY: talking to the local realtime server at {Url}", localServer.BaseUri);
}
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseWebSockets();
// In an app of yours: .RequireAuthorization() on both, and the user's own instructions in ConfigureSession.
app.MapVoiceAgent("/voice", o => o.ConfigureSession = (http, session, _) =>
{
    session.Greeting = "Hello! What can I do for you?";
    return ValueTask.CompletedTask;
});
app.Run();
