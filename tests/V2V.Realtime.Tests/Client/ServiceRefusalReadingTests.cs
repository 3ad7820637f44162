using System.Net.Http.Headers;
using System.Text;
using V2V.Realtime.Client;

namespace V2V.Realtime.Tests.Client;

/// <summary>How a refusal's body and headers become one readable, masked reason.</summary>
public sealed class HandshakeRefusalReadingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NotJson_TheFirstLineIsTheReason_CutToALine()
    {
        var body = "Bad gateway " + string.Concat(Enumerable.Repeat("try later ", 100)) + "\r\n<html>more</html>";

        var refusal = ServiceRefusal.Read(Headers(), Encoding.UTF8.GetBytes(body), Now);

        Assert.StartsWith("Bad gateway try later", refusal.Reason, StringComparison.Ordinal);
        Assert.EndsWith("...", refusal.Reason, StringComparison.Ordinal);
        Assert.Equal(ServiceRefusal.MaxReasonLength, refusal.Reason!.Length);
        Assert.Null(refusal.Code);
    }

    [Fact]
    public void JsonWithoutAnErrorMessage_IsShownAsText()
    {
        var refusal = ServiceRefusal.Read(Headers(), """{"detail":"no"}"""u8, Now);

        Assert.Equal("""{"detail":"no"}""", refusal.Reason);
    }

    [Fact]
    public void EmptyBody_SaysNothing()
    {
        var refusal = ServiceRefusal.Read(Headers(), [], Now);

        Assert.Null(refusal.Reason);
        Assert.Null(refusal.RetryAfter);
    }

    [Fact]
    public void RetryAfter_AsAnHttpDate_IsTheWaitUntilThen()
    {
        var headers = Headers();
        headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(42));

        Assert.Equal(TimeSpan.FromSeconds(42), ServiceRefusal.Read(headers, [], Now).RetryAfter);
    }

    [Theory]
    [InlineData("Incorrect API key provided: sk-abc********wxyz. You can", "Incorrect API key provided: sk-***. You can")]
    [InlineData("key sk-proj-AbCdEf0123456789 refused", "key sk-*** refused")]
    [InlineData("header Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig1 was sent", "header Authorization: Bearer *** was sent")]
    [InlineData("azure key 0123456789abcdef0123456789abcdef is wrong", "azure key *** is wrong")]
    [InlineData("GET /openai/v1/realtime?model=m&api-key=secret1 failed", "GET /openai/v1/realtime?model=m&api-key=*** failed")]
    [InlineData("Rate limit reached for requests. Please try again in 7s.", "Rate limit reached for requests. Please try again in 7s.")]
    public void KeyLikeText_IsMasked_TheRestKept(string said, string shown) =>
        Assert.Equal(shown, SecretRedactor.RedactKeys(said));

    private static HttpResponseHeaders Headers() => new HttpResponseMessage().Headers;
}
