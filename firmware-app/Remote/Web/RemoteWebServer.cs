using System.Net;
using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Remote.Web;

/// <summary>
/// The box's web page: ASP.NET Core minimal API on Kestrel (slim builder, Native AOT), serving one embedded page
/// (meters over a WebSocket at 25 fps, every registry parameter by stage, bypasses, presets and user slots, the system
/// page) and a small JSON API. Every request needs the pairing secret (a bearer token, or the cookie the pairing form
/// sets); commands go into the <see cref="RemoteHub"/>'s queue like any remote path and never touch the engine directly.
/// </summary>
/// <remarks>
/// Security (see the README's threat model): bind address explicit (127.0.0.1 unless configured); secret compared in
/// constant time; a wrong secret is logged and counted per client address, and after <see cref="FailedAttemptLimiter.MaxFailures"/>
/// failures in a minute that address gets 429 until the minute has passed; a WebSocket or state-changing request whose
/// <c>Origin</c> is not the page's own is refused (403), so another site open in the same browser cannot drive the box;
/// the cookie is HttpOnly and SameSite=Strict. Plain HTTP: the secret crosses the network in clear text, so on an untrusted
/// network put it behind TLS (a reverse proxy) or keep it on 127.0.0.1 and tunnel (ssh -L).
/// </remarks>
public sealed class RemoteWebServer : IAsyncDisposable
{
    /// <summary>The pairing cookie's name.</summary>
    public const string CookieName = "hm_pair";

    /// <summary>WebSocket clients served at once at most (more get 503).</summary>
    public const int MaxClients = 32;

    /// <summary>Frames per second sent to each WebSocket client.</summary>
    public const int FramesPerSecond = 25;

    private const int MaxBodyBytes = 4096;
    private readonly WebApplication _app;
    private readonly RemoteHub _hub;
    private readonly ILogger _logger;
    private readonly byte[] _stateJsonStatic;
    private readonly string[] _factoryNames;
    private int _clients;
    private long _framesSent;
    private long _originRefusals;
    private long _unauthorized;

    private RemoteWebServer(WebApplication app, RemoteHub hub, RemoteSecret secret, FailedAttemptLimiter limiter, ILogger logger)
    {
        _app = app;
        _hub = hub;
        Secret = secret;
        Limiter = limiter;
        _logger = logger;
        _factoryNames = new PresetLibrary(hub.State.Registry).Factory.Select(p => p.Name).ToArray();
        _stateJsonStatic = BuildStaticState(hub.State.Registry, _factoryNames);
    }

    /// <summary>The address it listens on (the real port when 0 was asked for).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The pairing secret it accepts.</summary>
    public RemoteSecret Secret { get; }

    /// <summary>Failed attempts and lock-outs.</summary>
    public FailedAttemptLimiter Limiter { get; }

    /// <summary>WebSocket clients connected now.</summary>
    public int Clients => Volatile.Read(ref _clients);

    /// <summary>WebSocket frames sent so far.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Requests refused because their Origin was not the page's own.</summary>
    public long OriginRefusals => Interlocked.Read(ref _originRefusals);

    /// <summary>Requests refused for want of the secret (401).</summary>
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    /// <summary>Starts serving <paramref name="hub"/> on <paramref name="endpoint"/>.</summary>
    /// <param name="hub">The hub (its state directory holds the secret, created on first use).</param>
    /// <param name="endpoint">Where to listen (port 0 = any free port; see <see cref="Address"/>).</param>
    /// <param name="logger">Where failed attempts and trouble go.</param>
    /// <param name="time">The clock of the rate limiter (null = the system's).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="IOException">The secret cannot be read or written, or the address cannot be bound.</exception>
    public static async Task<RemoteWebServer> StartAsync(RemoteHub hub, IPEndPoint endpoint, ILogger logger, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(logger);
        RemoteSecret secret = RemoteSecret.LoadOrCreate(hub.StateDirectory);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "hardwaremaster",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders(); // our own lines go to the box's log; Kestrel's chatter does not
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = 128;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Listen(endpoint);
        });
        builder.WebHost.UseUrls(); // the endpoint above only (never ASPNETCORE_URLS)
        WebApplication app = builder.Build();
        var server = new RemoteWebServer(app, hub, secret, new FailedAttemptLimiter(time ?? TimeProvider.System), logger);
        hub.PairingSecret = secret.Display;
        server.Map();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"--remote {endpoint}: cannot listen there: {ex.Message}", ex);
        }

        string? address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is not null)
        {
            server.Address = new Uri(address.EndsWith('/') ? address : address + "/");
        }

        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // clients that did not go in time are cut off
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void Map()
    {
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        _app.Use(GuardAsync);
        // Every endpoint is a plain RequestDelegate: no parameter binding, no reflection (Native AOT, no request delegate generator needed).
        _app.MapGet("/pair", Handler(context => Page(context, StatusCodes.Status200OK, "pair.html")));
        _app.MapPost("/pair", Handler(PairAsync));
        _app.MapGet("/", Handler(context => Page(context, StatusCodes.Status200OK, "index.html")));
        _app.MapGet("/app.js", Handler(context => Page(context, StatusCodes.Status200OK, "app.js")));
        _app.MapGet("/app.css", Handler(context => Page(context, StatusCodes.Status200OK, "app.css")));
        _app.MapGet("/api/state", Handler(StateAsync));
        _app.MapPost("/api/param", Handler(ParameterAsync));
        _app.MapPost("/api/bypass", Handler(BypassAsync));
        _app.MapPost("/api/preset", Handler(PresetAsync));
        _app.MapPost("/api/slot", Handler(SlotAsync));
        _app.MapPost("/api/slot/save", Handler(SaveSlotAsync));
        _app.MapPost("/api/reset-loudness", Handler(context => Enqueue(context, new RemoteCommand(RemoteCommandKind.ResetLoudness, -1, 0, null, RemoteOrigin.Web))));
        // Reference A/B (issue 14): POST /api/reference/off|on|toggle|next|previous (RemoteCommandKind.Reference).
        _app.MapPost("/api/reference/off", Handler(context => Enqueue(context, new RemoteCommand(RemoteCommandKind.Reference, 0, 0, null, RemoteOrigin.Web))));
        _app.MapPost("/api/reference/on", Handler(context => Enqueue(context, new RemoteCommand(RemoteCommandKind.Reference, 1, 0, null, RemoteOrigin.Web))));
        _app.MapPost("/api/reference/toggle", Handler(context => Enqueue(context, new RemoteCommand(RemoteCommandKind.Reference, 2, 0, null, RemoteOrigin.Web))));
        _app.MapPost("/api/reference/next", Handler(context => Enqueue(context, new RemoteCommand(RemoteCommandKind.Reference, 3, 0, null, RemoteOrigin.Web))));
        _app.MapPost("/api/reference/previous", Handler(context => Enqueue(context, new RemoteCommand(RemoteCommandKind.Reference, 4, 0, null, RemoteOrigin.Web))));
        _app.Map("/ws", Handler(SocketAsync));
    }

    private static RequestDelegate Handler(RequestDelegate handler) => handler;

    // Every request passes here first: lock-out, secret, Origin.
    private async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        IPAddress client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";
        if (Limiter.IsLockedOut(client))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = ((int)Limiter.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsync("too many failed attempts; try again later\n").ConfigureAwait(false);
            return;
        }

        bool changes = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);
        if ((context.WebSockets.IsWebSocketRequest || changes) && !SameOrigin(context.Request))
        {
            Interlocked.Increment(ref _originRefusals);
            _logger.LogWarning("remote web: refused {Method} {Path} from {Client}: Origin '{Origin}' is not this box's page", context.Request.Method, context.Request.Path.Value, client, context.Request.Headers.Origin.ToString());
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("forbidden: cross-origin request\n").ConfigureAwait(false);
            return;
        }

        if (context.Request.Path.StartsWithSegments("/pair"))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        switch (Authenticate(context.Request))
        {
            case Credentials.Valid:
                try
                {
                    await next(context).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning("remote web: {Method} {Path} failed: {Type}: {Message}", context.Request.Method, context.Request.Path.Value, ex.GetType().Name, ex.Message);
                    if (!context.Response.HasStarted)
                    {
                        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    }
                }

                return;
            case Credentials.Wrong:
                Fail(client, "a wrong secret or cookie");
                break;
        }

        Interlocked.Increment(ref _unauthorized);
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"hardwaremaster\"";
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/" && !context.WebSockets.IsWebSocketRequest)
        {
            await Page(context, StatusCodes.Status401Unauthorized, "pair.html").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await context.Response.WriteAsync("unauthorized: pair first (the secret is on the box's SYSTEM page, or: hardwaremaster remote pair)\n").ConfigureAwait(false);
    }

    private Credentials Authenticate(HttpRequest request)
    {
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Secret.Matches(authorization.AsSpan(7).Trim())
                ? Credentials.Valid
                : Credentials.Wrong;
        }

        if (request.Cookies.TryGetValue(CookieName, out string? cookie) && cookie is not null)
        {
            return Secret.MatchesCookie(cookie) ? Credentials.Valid : Credentials.Wrong;
        }

        return Credentials.None;
    }

    private void Fail(IPAddress client, string what)
    {
        int failures = Limiter.RecordFailure(client);
        _logger.LogWarning("remote web: {Client} presented {What} ({Failures} in the last {Seconds:0} s; locked out at {Max})", client, what, failures, Limiter.Window.TotalSeconds, Limiter.MaxFailures);
    }

    // A browser always sends Origin on a WebSocket and on a cross-site POST; it must name this page's own host.
    // Non-browser clients (curl with a bearer token) send none.
    private static bool SameOrigin(HttpRequest request)
    {
        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.Equals(uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private async Task PairAsync(HttpContext context)
    {
        IPAddress client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        string candidate = string.Empty;
        if (context.Request.HasFormContentType)
        {
            IFormCollection form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            candidate = form["secret"].ToString();
        }

        if (candidate.Length == 0 || !Secret.Matches(candidate))
        {
            Fail(client, candidate.Length == 0 ? "no secret to the pairing form" : "a wrong pairing secret");
            await Page(context, StatusCodes.Status401Unauthorized, "pair.html").ConfigureAwait(false);
            return;
        }

        Limiter.RecordSuccess(client);
        _logger.LogInformation("remote web: {Client} paired", client);
        context.Response.Cookies.Append(CookieName, Secret.CookieValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = TimeSpan.FromDays(365),
            Secure = context.Request.IsHttps,
        });
        context.Response.Redirect("/", permanent: false);
    }

    private static async Task Page(HttpContext context, int status, string name)
    {
        using Stream? resource = typeof(RemoteWebServer).Assembly.GetManifestResourceStream("HardwareMaster.App.Remote.Web." + name);
        if (resource is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => "application/octet-stream",
        };
        await resource.CopyToAsync(context.Response.Body).ConfigureAwait(false);
    }

    private async Task StateAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            json.WriteStartObject();
            json.WriteRawValue(_stateJsonStatic, skipInputValidation: true); // "registry":…, "factoryPresets":…, "userSlots":…
            var values = new double[_hub.State.Registry.Count];
            long version = _hub.State.CopyValues(values);
            json.WriteNumber("version", version);
            json.WriteStartArray("values");
            foreach (double value in values)
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
            json.WriteString("preset", _hub.State.PresetName);
            json.WriteBoolean("byp", _hub.State.GlobalBypass);
            var slots = new string?[Box.BoxPresetStore.SlotCount];
            _hub.State.CopySlotNames(slots);
            json.WriteStartArray("slots");
            foreach (string? slot in slots)
            {
                json.WriteStringValue(slot);
            }

            json.WriteEndArray();
            json.WriteStartObject("system");
            json.WriteString("version", typeof(RemoteWebServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?");
            json.WriteString("stateDirectory", _hub.StateDirectory);
            json.WriteNumber("frames", _hub.State.Frames);
            json.WriteNumber("commandsApplied", _hub.Commands.Applied);
            json.WriteNumber("commandsRefused", _hub.Commands.Refused);
            json.WriteNumber("commandsDropped", _hub.Commands.Dropped);
            json.WriteNumber("webClients", Clients);
            json.WriteNumber("failedAttempts", Limiter.Failures);
            json.WriteNumber("lockouts", Limiter.Refusals);
            json.WriteNumber("uptimeSeconds", (long)(DateTime.UtcNow - System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalSeconds);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)).ConfigureAwait(false);
    }

    // The part of /api/state that never changes: the registry by stage, the factory presets, the user slots.
    private static byte[] BuildStaticState(ParameterRegistry registry, string[] factoryNames)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("registry");
            foreach (ParameterDefinition p in registry.All)
            {
                json.WriteStartObject();
                json.WriteString("id", p.Id);
                json.WriteString("name", p.Name);
                json.WriteString("unit", p.Unit);
                json.WriteString("stage", p.Id.Split('.')[0]);
                json.WriteNumber("min", p.Minimum);
                json.WriteNumber("max", p.Maximum);
                json.WriteNumber("def", p.Default);
                json.WriteNumber("step", p.Step);
                json.WriteString("taper", p.Taper.ToString().ToLowerInvariant());
                if (p.Choices is { } choices)
                {
                    json.WriteStartArray("choices");
                    foreach (string choice in choices)
                    {
                        json.WriteStringValue(choice);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("factoryPresets");
            foreach (string name in factoryNames)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteNumber("userSlots", Box.BoxPresetStore.SlotCount);
            json.WriteEndObject();
        }

        // Without the enclosing braces, to be spliced into the live object.
        byte[] all = buffer.ToArray();
        return all[1..^1];
    }

    private async Task ParameterAsync(HttpContext context)
    {
        using JsonDocument? body = await ReadJsonAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        JsonElement root = body.RootElement;
        if (!root.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String || !_hub.State.Registry.TryGetIndex(id.GetString()!, out int index))
        {
            await BadRequest(context, "\"id\" must name a registry parameter (see hardwaremaster params)").ConfigureAwait(false);
            return;
        }

        if (root.TryGetProperty("value", out JsonElement value) && value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()))
        {
            await Enqueue(context, RemoteCommand.Set(index, value.GetDouble(), RemoteOrigin.Web)).ConfigureAwait(false);
        }
        else if (root.TryGetProperty("steps", out JsonElement steps) && steps.TryGetInt32(out int count) && Math.Abs(count) <= 1000)
        {
            await Enqueue(context, RemoteCommand.Step(index, count, RemoteOrigin.Web)).ConfigureAwait(false);
        }
        else
        {
            await BadRequest(context, "give \"value\" (a finite number) or \"steps\" (an integer, |steps| <= 1000)").ConfigureAwait(false);
        }
    }

    private async Task BypassAsync(HttpContext context)
    {
        using JsonDocument? body = await ReadJsonAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        JsonElement root = body.RootElement;
        if (!root.TryGetProperty("stage", out JsonElement stage) || stage.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("on", out JsonElement on) || on.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            await BadRequest(context, "give \"stage\" (global, hpf, eq, comp, width, limiter) and \"on\" (true/false)").ConfigureAwait(false);
            return;
        }

        string name = stage.GetString()!;
        if (name == "global")
        {
            await Enqueue(context, new RemoteCommand(RemoteCommandKind.SetGlobalBypass, -1, on.GetBoolean() ? 1 : 0, null, RemoteOrigin.Web)).ConfigureAwait(false);
        }
        else if (_hub.State.Registry.TryGetIndex(name + ".bypass", out int index))
        {
            await Enqueue(context, RemoteCommand.Set(index, on.GetBoolean() ? 1 : 0, RemoteOrigin.Web)).ConfigureAwait(false);
        }
        else
        {
            await BadRequest(context, $"no stage '{name}' with a bypass").ConfigureAwait(false);
        }
    }

    private async Task PresetAsync(HttpContext context)
    {
        using JsonDocument? body = await ReadJsonAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!body.RootElement.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
            || Array.FindIndex(_factoryNames, n => string.Equals(n, name.GetString(), StringComparison.OrdinalIgnoreCase)) is var found && found < 0)
        {
            await BadRequest(context, $"\"name\" must be a factory preset: {string.Join(", ", _factoryNames)}").ConfigureAwait(false);
            return;
        }

        await Enqueue(context, new RemoteCommand(RemoteCommandKind.RecallFactoryPreset, -1, 0, _factoryNames[found], RemoteOrigin.Web)).ConfigureAwait(false);
    }

    private async Task SlotAsync(HttpContext context)
    {
        using JsonDocument? body = await ReadJsonAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!body.RootElement.TryGetProperty("slot", out JsonElement slot) || !slot.TryGetInt32(out int number) || number < 1 || number > Box.BoxPresetStore.SlotCount)
        {
            await BadRequest(context, $"\"slot\" must be 1 to {Box.BoxPresetStore.SlotCount}").ConfigureAwait(false);
            return;
        }

        await Enqueue(context, new RemoteCommand(RemoteCommandKind.RecallUserSlot, number - 1, 0, null, RemoteOrigin.Web)).ConfigureAwait(false);
    }

    // Saves the box's current parameters to a user slot: queued like every command and applied on the control thread by
    // the box's own BoxPresetStore (the same atomic write as the PRESETS page's long press).
    private async Task SaveSlotAsync(HttpContext context)
    {
        using JsonDocument? body = await ReadJsonAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!body.RootElement.TryGetProperty("slot", out JsonElement slot) || !slot.TryGetInt32(out int number) || number < 1 || number > Box.BoxPresetStore.SlotCount)
        {
            await BadRequest(context, $"\"slot\" must be 1 to {Box.BoxPresetStore.SlotCount}").ConfigureAwait(false);
            return;
        }

        await Enqueue(context, new RemoteCommand(RemoteCommandKind.SaveUserSlot, number - 1, 0, null, RemoteOrigin.Web)).ConfigureAwait(false);
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            await BadRequest(context, $"body larger than {MaxBodyBytes} bytes").ConfigureAwait(false);
            return null;
        }

        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer).ConfigureAwait(false);
            return JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException ex)
        {
            await BadRequest(context, $"body is not JSON: {ex.Message}").ConfigureAwait(false);
            return null;
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            await BadRequest(context, ex.Message).ConfigureAwait(false);
            return null;
        }
    }

    private static async Task BadRequest(HttpContext context, string why)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsync(why + "\n").ConfigureAwait(false);
    }

    private Task Enqueue(HttpContext context, in RemoteCommand command)
    {
        if (_hub.Commands.TryEnqueue(command))
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted; // applied on the box's next control frame
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync("the box's command queue is full; try again\n");
    }

    private async Task SocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await BadRequest(context, "a WebSocket upgrade expected").ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _clients) > MaxClients)
        {
            Interlocked.Decrement(ref _clients);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        try
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            Task receive = DrainIncomingAsync(socket, closed);
            var writer = new RemoteFrameWriter(_hub.State);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / FramesPerSecond));
            try
            {
                while (socket.State == WebSocketState.Open && !closed.IsCancellationRequested)
                {
                    if (writer.ValuesChanged)
                    {
                        await socket.SendAsync(writer.WriteValues(), WebSocketMessageType.Text, endOfMessage: true, closed.Token).ConfigureAwait(false);
                        Interlocked.Increment(ref _framesSent);
                    }

                    await socket.SendAsync(writer.WriteMeters(), WebSocketMessageType.Text, endOfMessage: true, closed.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref _framesSent);
                    await timer.WaitForNextTickAsync(closed.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
            {
                // the client went away
            }

            await closed.CancelAsync().ConfigureAwait(false);
            await receive.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _clients);
        }
    }

    // The page sends nothing on the socket (commands are POSTs); read only to see the close handshake.
    private static async Task DrainIncomingAsync(WebSocket socket, CancellationTokenSource closed)
    {
        byte[] scratch = new byte[256];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                WebSocketReceiveResult result = await socket.ReceiveAsync(scratch, closed.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    }

                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // gone
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }

    private enum Credentials
    {
        None,
        Valid,
        Wrong,
    }
}
