using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;

namespace HardwareMaster.App.Tests.Commands;

/// <summary>
/// <c>run</c> rejects a device spec that can never work before it starts anything: exit 2, one line on stderr naming
/// it, nothing on stdout. (Before, <c>gen:bogus</c> failed in a log line on stdout and <c>xyz:foo</c> or an unknown ALSA
/// PCM was retried every second forever.) Redirects the process-wide Console, so serial.
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed class RunDeviceValidationTests
{
    private static RunConfigurationOverrides Device(string spec) => new(spec, null, null, null, null, 0, null);

    [Theory]
    [InlineData("gen:bogus", "Unknown generator 'bogus'")]
    [InlineData("gen:tone:30000", "out of range")]
    [InlineData("xyz:foo", "'xyz' is neither a device scheme")]
    [InlineData("sim:bogus", "no simulated device named 'bogus'")]
    [InlineData("alsa:hm_no_such_pcm", "unknown ALSA PCM 'hm_no_such_pcm'")]
    public void Run_DeviceSpecThatCannotWork_ExitsTwoWithOneLineOnStderr(string spec, string expected)
    {
        (int code, string output, string error) = RunCli("run", "--device", spec, "--duration", "1", "--rt-priority", "0");
        Assert.Equal(2, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"hardwaremaster: device '{spec}': ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output); // nothing started: no host, no log lines
    }

    [Theory]
    [InlineData("gen:demo")]
    [InlineData("alsa:default")]
    [InlineData("alsa:hw:CARD=HmNotPluggedIn,DEV=0")] // a card that may be plugged in later: the service waits for it
    [InlineData("plughw:CARD=HmNotPluggedIn")]
    [InlineData("pa:Some Interface")] // PortAudio names are resolved when opened
    public void Build_DeviceSpecThatCanWork_IsAccepted(string spec)
    {
        RunRequest? request = RunCommand.Build(null, Device(spec), 1, null, 50, out IReadOnlyList<string> problems);
        Assert.Empty(problems);
        Assert.Equal(spec, request!.Supervisor.DeviceSpec);
    }

    [Fact]
    public void Build_UnknownAlsaOutputPcm_IsOneProblemNamingIt()
    {
        RunRequest? request = RunCommand.Build(null, Device("alsa:default") with { Output = "hm_no_such_out" }, 1, null, 50, out IReadOnlyList<string> problems);
        Assert.Null(request);
        Assert.Contains("unknown ALSA PCM 'hm_no_such_out'", Assert.Single(problems), StringComparison.Ordinal);
    }

    // A spec that is retried instead of rejected would never return: the time-out is only a safety net.
    private static (int ExitCode, string Out, string Error) RunCli(params string[] args) =>
        CliRunner.Capture(() => Task.Run(() => Cli.Run(args)).WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult());
}
