using System.Text.Json.Nodes;
using V2V.Graph.Definition;
using V2V.Playground.Sessions;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Sessions;

/// <summary>
/// A page that says what it plays (<c>reportsPlayed</c>) gets agents that believe it, in the playground's own graph and in
/// a TEN app's (whose RTC node is given the <c>audio_played</c> connection TEN's RTC has not); a client that does not say
/// so has what was sent count as played.
/// </summary>
public sealed class PlayedReportsGraphTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheOwnGraph_RoutesThePagesReports_AndItsAgentBelievesThemOnlyWhenThePageSendsThem(bool reportsPlayed)
    {
        var graph = SessionGraph.Build(new SessionSettings(16000, "alloy", "", "server_vad", reportsPlayed), []);

        Assert.Equal(reportsPlayed, graph.Nodes.Single(n => n.Name == SessionGraph.Agent).Property["played_reports"]!.GetValue<bool>());
        Assert.Contains(graph.Routes, r => r.Source == SessionGraph.Mic && r.Kind == MessageKind.Data && r.MessageName == "audio_played" && r.Destinations.Contains(SessionGraph.Agent));
    }

    [Fact]
    public void ATenAppsGraph_GetsTheRtcNodesReportsConnection_ToEveryAgent()
    {
        var app = TenAppGraphs.VoiceAssistantRealtime();
        Assert.DoesNotContain(app.Graph.Routes, r => r.MessageName == "audio_played"); // TEN's RTC has no such message

        var graph = AppSessionGraph.Build(app, new SessionSettings(16000, "alloy", "", "server_vad", ReportsPlayed: true), new JsonObject());

        var rtc = Assert.Single(AppSessionGraph.RtcNodes(app));
        var route = Assert.Single(graph.Routes, r => r.MessageName == "audio_played");
        Assert.Equal((rtc, MessageKind.Data), (route.Source, route.Kind));
        Assert.Equal(app.AgentNodes.Order(), route.Destinations.Order());
        Assert.All(graph.Nodes.Where(n => app.AgentNodes.Contains(n.Name)), n => Assert.True(n.Property["played_reports"]!.GetValue<bool>()));
    }
}
