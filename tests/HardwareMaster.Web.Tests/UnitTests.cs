using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Web;
using HardwareMaster.App.Tests;

namespace HardwareMaster.Web.Tests;

/// <summary>The secret, the frame writer and the options, without a browser.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class UnitTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hm-webunit-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Secret_CreatedOnce_Mode0600_SameOnReload_ComparedIgnoringCaseAndDashes()
    {
        RemoteSecret secret = RemoteSecret.LoadOrCreate(_dir);
        string path = RemoteSecret.PathIn(_dir);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path));
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$", secret.Display);
        Assert.Equal(secret.Display, RemoteSecret.LoadOrCreate(_dir).Display);
        Assert.Empty(Directory.GetFiles(_dir, ".*")); // no temporary file left behind
        Assert.True(secret.Matches(secret.Canonical.ToLowerInvariant()));
        Assert.True(secret.Matches(secret.Display));
        Assert.False(secret.Matches(secret.Canonical.AsSpan(0, 15)));
        Assert.False(secret.Matches(string.Empty));
        Assert.False(secret.Matches(new string('A', 4000)));
        Assert.True(secret.MatchesCookie(secret.CookieValue));
        Assert.False(secret.MatchesCookie(secret.Canonical));
    }

    [Fact]
    public void Secret_CorruptFile_IsOneLineNamingThePath()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(RemoteSecret.PathIn(_dir), "not a secret");
        IOException ex = Assert.Throws<IOException>(() => RemoteSecret.LoadOrCreate(_dir));
        Assert.Contains(RemoteSecret.PathIn(_dir), ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void RemotePair_PrintsTheSecretARunWithThatStateDirAccepts()
    {
        (int code, string output, string error) = CliRunner.Run("remote", "pair", "--state-dir", _dir);
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(RemoteSecret.LoadOrCreate(_dir).Display, output.Trim());
        (int again, string second, _) = CliRunner.Run("remote", "pair", "--state-dir", _dir);
        Assert.Equal(0, again);
        Assert.Equal(output, second);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void RemotePair_AsRootInAStateDirOwnedByTheServiceUser_GivesTheSecretToThatUser()
    {
        // sudo hardwaremaster remote pair before the service ever made a secret: the file must be the state directory
        // owner's (CI runs as root; uid 65534 stands in for User=hardwaremaster), else the service cannot read it.
        Directory.CreateDirectory(_dir);
        Assert.True(UnixOwner.TryGet(_dir, out uint myUid, out uint myGid));
        (uint ownerUid, uint ownerGid) = UnixOwner.IsRoot ? (65534u, 65534u) : (myUid, myGid);
        if (UnixOwner.IsRoot)
        {
            UnixOwner.Set(_dir, ownerUid, ownerGid);
        }

        (int code, string output, string error) = CliRunner.Run("remote", "pair", "--state-dir", _dir);
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(19, output.Trim().Length);
        Assert.True(UnixOwner.TryGet(RemoteSecret.PathIn(_dir), out uint uid, out uint gid));
        Assert.Equal((ownerUid, ownerGid), (uid, gid));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(RemoteSecret.PathIn(_dir)));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task RemotePair_SecretOfAnotherUser_IsOneLineNamingTheFileAndTheFix()
    {
        // The service's view of a root-owned 0600 secret: run as uid 65534 (setpriv) against a file root made.
        if (!UnixOwner.IsRoot || !File.Exists("/usr/bin/setpriv"))
        {
            Assert.False(UnixOwner.IsRoot, "root needs /usr/bin/setpriv (util-linux) for this test");
            return;
        }

        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ff); // 0777: the folder is open, the file is not
        RemoteSecret secret = RemoteSecret.LoadOrCreate(_dir); // root's, 0600
        Assert.False(string.IsNullOrEmpty(secret.Display));
        var start = new ProcessStartInfo("/usr/bin/setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            typeof(RemoteSecret).Assembly.Location, "remote", "pair", "--state-dir", _dir])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_HOME"] = _dir;
        start.Environment["HOME"] = _dir;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(1, process.ExitCode);
        Assert.Empty(await output);
        string line = CliRunner.SingleLine(error);
        Assert.Contains(RemoteSecret.PathIn(_dir), line);
        Assert.Contains("permission denied", line);
        Assert.Contains("chown hardwaremaster:hardwaremaster", line);
    }

    [Fact]
    public void RemotePair_UnwritableStateDir_IsOneErrorLine()
    {
        (int code, _, string error) = CliRunner.Run("remote", "pair", "--state-dir", "/proc/hm-no-such/state");
        Assert.Equal(1, code);
        Assert.Contains("/proc/hm-no-such/state", CliRunner.SingleLine(error));
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("[::1]:9000", "::1", 9000)]
    [InlineData("[::]:0", "::", 0)]
    public void Endpoint_ExplicitAddresses_Parse(string text, string address, int port)
    {
        Assert.True(RemoteEndpoint.TryParse(text, out IPEndPoint endpoint, out string? problem), problem);
        Assert.Equal(IPAddress.Parse(address), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("localhost:8080")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("::1:8080")]
    [InlineData("127.1:8080")]
    public void Endpoint_HostNamesAndNonsense_AreRefused(string text)
    {
        Assert.False(RemoteEndpoint.TryParse(text, out _, out string? problem));
        Assert.Contains(text, problem);
    }

    [Fact]
    public void Run_RemoteOption_BadAddress_IsOneErrorLine_ExitTwo()
    {
        (int code, _, string error) = CliRunner.Run("run", "--device", "gen:pink", "--remote", "localhost:8080");
        Assert.Equal(2, code);
        Assert.Contains("--remote", CliRunner.SingleLine(error));
    }

    [Fact]
    public void Run_RemoteAndStateDirFromTheConfig_BuildAHubThere()
    {
        Directory.CreateDirectory(_dir);
        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, "{\"device\":\"gen:pink\",\"remote\":\"127.0.0.1:8123\",\"stateDir\":\"" + _dir + "\"}");
        RunRequest? request = RunCommand.Build(config, new RunConfigurationOverrides(null, null, null, null, null, 0, null), 1, null, 0, out IReadOnlyList<string> problems);
        Assert.True(request is not null, string.Join("\n", problems));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8123), request!.RemoteWeb);
        Assert.Equal(_dir, request.Remote!.StateDirectory);

        File.WriteAllText(config, "{\"device\":\"gen:pink\",\"remote\":\"everywhere\"}");
        Assert.Null(RunCommand.Build(config, new RunConfigurationOverrides(null, null, null, null, null, 0, null), 1, null, 0, out problems));
        Assert.Contains(problems, p => p.Contains("remote", StringComparison.Ordinal) && p.Contains("everywhere", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_StateDirHeadless_IsAccepted()
    {
        RunRequest? request = RunCommand.Build(null, new RunConfigurationOverrides("gen:pink", null, null, null, null, 0, null), 1, null, 0, out IReadOnlyList<string> problems,
            simulate: new SimulateOptions(false, null, null, _dir, false), remote: "127.0.0.1:0");
        Assert.True(request is not null, string.Join("\n", problems));
        Assert.Equal(_dir, request!.Remote!.StateDirectory);
    }

    [Fact]
    public void FrameWriter_SteadyState_AllocatesNothingPerFrame()
    {
        var feed = new RemoteStateFeed(ParameterRegistry.Chain);
        var values = new double[ParameterRegistry.Chain.Count];
        var meters = new MeterSnapshot { OutputPeakLeftDbfs = -3.25, ShortTermLufs = -14.5, IntegratedLufs = double.NegativeInfinity, Blocks = 10 };
        feed.Publish(meters, values, globalBypass: false, "pop-rock");
        var writer = new RemoteFrameWriter(feed);
        for (int i = 0; i < 100; i++)
        {
            writer.WriteValues();
            writer.WriteMeters();
        }

        string text = System.Text.Encoding.UTF8.GetString(writer.WriteMeters().Span);
        Assert.Contains("\"opl\":-3.25", text);
        Assert.Contains("\"i\":null", text); // −∞ (silence) is null, never invalid JSON
        // Least of four segments (AllocationProbe): another thread's garbage collection can make the per-thread counter jump once.
        int frame = 0;
        long least = HardwareMaster.Hal.Tests.AudioFiles.AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int n = 0; n < 250; n++, frame++)
            {
                values[0] = frame;
                feed.Publish(meters with { Blocks = frame }, values, globalBypass: (frame & 1) == 0, "pop-rock");
                writer.WriteMeters();
                if (writer.ValuesChanged)
                {
                    writer.WriteValues();
                }
            }
        });
        Assert.Equal(0, least);
    }
}
