using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using HardwareMaster.App.Remote.Web;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.Web.Tests;

/// <summary>No secret, no control: HTTP and WebSocket refused without it, a foreign Origin refused, guessing rate-limited and logged.</summary>
[Collection(nameof(BoxCollection))]
public sealed class SecurityTests(BoxUnderTest box)
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/app.js")]
    [InlineData("GET", "/api/state")]
    [InlineData("POST", "/api/param")]
    [InlineData("POST", "/api/bypass")]
    [InlineData("POST", "/api/preset")]
    public async Task Request_WithoutTheSecret_Is401AndChangesNothing(string method, string path)
    {
        using var http = new HttpClient { BaseAddress = box.Server.Address };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{\"stage\":\"global\",\"on\":true,\"id\":\"width.width\",\"value\":0,\"name\":\"edm-club\"}", Encoding.UTF8, "application/json");
        }

        long applied = box.Hub.Commands.Applied;
        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(box.Server.Secret.Display, body);
        Assert.DoesNotContain("registry", body);
        Assert.Equal(applied, box.Hub.Commands.Applied);
    }

    [Fact]
    public async Task WebSocket_WithoutTheSecret_IsRefused_AndWithItReceivesMeters()
    {
        using (var anonymous = new ClientWebSocket())
        {
            await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(SocketUri(), CancellationToken.None));
            Assert.NotEqual(WebSocketState.Open, anonymous.State);
        }

        using var paired = new ClientWebSocket();
        paired.Options.SetRequestHeader("Authorization", "Bearer " + box.Server.Secret.Display);
        await paired.ConnectAsync(SocketUri(), CancellationToken.None);
        string frame = await ReceiveTextAsync(paired);
        Assert.StartsWith("{\"t\":", frame);
        await paired.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task WebSocketAndPost_FromAnotherOrigin_AreRefusedEvenWithTheCookie()
    {
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Cookie", RemoteWebServer.CookieName + "=" + box.Server.Secret.CookieValue);
            socket.Options.SetRequestHeader("Origin", "http://evil.example");
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(SocketUri(), CancellationToken.None));
        }

        using var http = new HttpClient { BaseAddress = box.Server.Address };
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/bypass") { Content = new StringContent("{\"stage\":\"global\",\"on\":true}", Encoding.UTF8, "application/json") };
        post.Headers.Add("Cookie", RemoteWebServer.CookieName + "=" + box.Server.Secret.CookieValue);
        post.Headers.Add("Origin", "http://evil.example");
        long refusals = box.Server.OriginRefusals;
        using HttpResponseMessage response = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(box.Hub.State.GlobalBypass);
        Assert.True(box.Server.OriginRefusals >= refusals + 1);
        Assert.Contains(box.Log.Lines, line => line.Contains("evil.example", StringComparison.Ordinal));

        // The page's own origin with the cookie works.
        using var own = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        own.Headers.Add("Cookie", RemoteWebServer.CookieName + "=" + box.Server.Secret.CookieValue);
        using HttpResponseMessage ok = await http.SendAsync(own);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task WrongSecrets_AreLoggedAndLockTheClientOutWith429_UntilTheWindowPasses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new CapturingLogger();
        await using RemoteWebServer server = await RemoteWebServer.StartAsync(box.Hub, new IPEndPoint(IPAddress.Loopback, 0), log, time);
        using var http = new HttpClient { BaseAddress = server.Address };
        for (int i = 0; i < server.Limiter.MaxFailures; i++)
        {
            using HttpResponseMessage wrong = await GetStateAsync(http, "WRONG-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (HttpResponseMessage locked = await GetStateAsync(http, server.Secret.Display))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode); // even the right secret, while locked out
            Assert.NotNull(locked.Headers.RetryAfter);
        }

        using (var form = new FormUrlEncodedContent([new("secret", server.Secret.Display)]))
        using (HttpResponseMessage pair = await http.PostAsync("/pair", form))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, pair.StatusCode);
        }

        Assert.Equal(server.Limiter.MaxFailures, log.Lines.Count(line => line.Contains("wrong secret", StringComparison.Ordinal)));
        time.Advance(server.Limiter.Window);
        using HttpResponseMessage again = await GetStateAsync(http, server.Secret.Display);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Pairing_SetsAnHttpOnlySameSiteStrictCookieThatOpensTheApi()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = box.Server.Address };
        using var form = new FormUrlEncodedContent([new("secret", box.Server.Secret.Canonical)]);
        using HttpResponseMessage pair = await http.PostAsync("/pair", form);
        Assert.Equal(HttpStatusCode.Redirect, pair.StatusCode);
        string cookie = Assert.Single(pair.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(box.Server.Secret.Canonical, cookie); // the cookie is derived, not the secret
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using HttpResponseMessage state = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
    }

    private static async Task<HttpResponseMessage> GetStateAsync(HttpClient http, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return await http.SendAsync(request);
    }

    private Uri SocketUri() => new UriBuilder(box.Server.Address) { Scheme = "ws", Path = "/ws" }.Uri;

    internal static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16384];
        using var timeout = new CancellationTokenSource(BoxUnderTest.Patience);
        int count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, count);
    }
}
