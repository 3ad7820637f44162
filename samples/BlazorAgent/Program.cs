// A realtime voice agent in a Blazor app (interactive server rendering), built on the V2V packages: the page
// (Components/Pages/Home.razor) starts the agent with BrowserVoiceAgent, shows its transcript, and gives it a tool
// written in C#. With OPENAI_API_KEY set it talks to OpenAI; without one, to the local realtime server, in this process.
//
//   dotnet pack V2V.Packages.slnf -c Release -o artifacts     (at the repository's root: the packages)
//   dotnet run --project samples/BlazorAgent                  (then open http://localhost:5090)
using BlazorAgent.Components;
using V2V.AspNetCore;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Voice;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:5090");
builder.WebHost.UseStaticWebAssets(); // Blazor's own scripts from the build output, whatever the environment (a published app has them in wwwroot)

var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
await using var localServer = string.IsNullOrEmpty(apiKey) ? await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions()) : null;
builder.Services.AddVoiceSessions(o =>
{
    o.Connection = localServer is null
        ? new RealtimeClientOptions { ApiKey = apiKey, Model = "gpt-realtime" }
        : new RealtimeClientOptions { BaseUri = localServer.BaseUri, Model = "gpt-realtime" };
    o.Instructions = "You are a helpful assistant. Answer in one or two short sentences.";
    o.InputTranscript = true;
});
builder.Services.AddRazorComponents().AddInteractiveServerComponents();

var app = builder.Build();
app.Logger.LogInformation(localServer is null ? "Talking to OpenAI" : "No OPENAI_API_KEY: talking to the local realtime server");
app.UseWebSockets();
app.UseAntiforgery();
app.MapStaticAssets();
// In an app of yours: .RequireAuthorization(), and the user's own instructions in ConfigureSession.
app.MapVoiceAgent("/voice");
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
