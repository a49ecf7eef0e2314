using System.Net;
using System.Net.Http.Headers;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;
using HardwareMaster.App.Remote.Midi;
using HardwareMaster.App.Remote.Web;
using HardwareMaster.App.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.Web.Tests;

/// <summary>One state directory for run, remote pair and the MIDI check: --state-dir, else the config's stateDir, else the default.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class StateDirectoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hm-state-" + Guid.NewGuid().ToString("N")[..8]);

    public StateDirectoryTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task RemotePair_StateDir_PrintsTheSecretARunWithThatStateDirAccepts()
    {
        string state = Path.Combine(_root, "state");
        (int code, string printed, string error) = CliRunner.Run("remote", "pair", "--state-dir", state);
        Assert.True(code == 0, error);
        string secret = printed.Trim();

        RunRequest request = Build(state, config: null);
        Assert.Equal(state, request.Remote!.StateDirectory);
        await AssertAcceptsAsync(request, secret);
    }

    [Fact]
    public async Task Run_ConfigStateDir_IsWhereTheHubTheMidiCheckAndRemotePairLook()
    {
        string state = Path.Combine(_root, "from-config");
        Directory.CreateDirectory(state);
        string config = Path.Combine(_root, "config.json");
        await File.WriteAllTextAsync(config, $$"""{ "stateDir": "{{state}}", "midi": "file:{{Path.Combine(_root, "midi.bin")}}" }""");

        // The MIDI check reads the learned map of the config's state directory: a broken one is one line naming it.
        string learned = Path.Combine(state, MidiRemoteService.LearnFileName);
        await File.WriteAllTextAsync(learned, "{ \"controls\": [ { \"cc\": 300, \"id\": \"comp.threshold\" } ] }");
        RunRequest? broken = RunCommand.Build(config, Overrides, 5, null, 0, out IReadOnlyList<string> problems, remote: "127.0.0.1:0");
        Assert.Null(broken);
        Assert.Contains(problems, p => p.Contains(learned, StringComparison.Ordinal));

        // A good learned map there is the run's map, and the hub (secret, slots) lives there too.
        await File.WriteAllTextAsync(learned, "{ \"controls\": [ { \"cc\": 20, \"id\": \"comp.threshold\" } ] }");
        RunRequest request = Build(null, config);
        Assert.Equal(state, request.Remote!.StateDirectory);
        MidiBinding binding = Assert.Single(request.RemoteInputs!.Map!.Bindings);
        Assert.Equal(20, binding.Controller);

        // remote pair --config prints the secret that run accepts; --state-dir beats the config.
        (int code, string printed, string error) = CliRunner.Run("remote", "pair", "--config", config);
        Assert.True(code == 0, error);
        await AssertAcceptsAsync(request, printed.Trim());
        string other = Path.Combine(_root, "cli");
        Assert.Equal(other, Build(other, config).Remote!.StateDirectory);
    }

    [Fact]
    public void RemotePair_BadConfig_OneLineNamingItExit2()
    {
        string config = Path.Combine(_root, "bad.json");
        File.WriteAllText(config, "{ \"stateDir\": 5 }");
        (int code, _, string error) = CliRunner.Run("remote", "pair", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("bad.json", CliRunner.SingleLine(error));
    }

    private static RunConfigurationOverrides Overrides => new("gen:pink", null, 48000, 256, null, 0, null);

    private static RunRequest Build(string? stateDirectory, string? config)
    {
        RunRequest? request = RunCommand.Build(
            config,
            Overrides,
            5,
            null,
            0,
            out IReadOnlyList<string> problems,
            simulate: new SimulateOptions(false, null, null, stateDirectory, false),
            remote: "127.0.0.1:0");
        Assert.True(request is not null, string.Join("\n", problems));
        return request!;
    }

    private static async Task AssertAcceptsAsync(RunRequest request, string secret)
    {
        await using RemoteWebServer server = await RemoteWebServer.StartAsync(request.Remote!, new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        Assert.Equal(secret, server.Secret.Display);
        using var client = new HttpClient { BaseAddress = server.Address };
        using var paired = new HttpRequestMessage(HttpMethod.Get, "/api/state") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", secret) } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(paired)).StatusCode);
        using var stranger = new HttpRequestMessage(HttpMethod.Get, "/api/state") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "0000-0000-0000-0000") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(stranger)).StatusCode);
    }
}
