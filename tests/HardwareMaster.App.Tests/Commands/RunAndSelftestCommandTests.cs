using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;

namespace HardwareMaster.App.Tests.Commands;

[Collection(Engine.EngineAlsaCollection.Name)]
public sealed class RunAndSelftestCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hm-cmd-" + Guid.NewGuid().ToString("N")[..8]);

    public RunAndSelftestCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RunConfigurationOverrides None => new(null, null, null, null, null, null, null);

    [Fact]
    public void Build_ConfigPlusOverrides_CommandLineWins()
    {
        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, """{ "device": "alsa:hw:0", "blockFrames": 128, "preset": "edm-club" }""");
        RunRequest? request = RunCommand.Build(config, None with { Device = "gen:demo", SampleRateHz = 44100 }, 2.5, null, 50, out IReadOnlyList<string> problems);
        Assert.Empty(problems);
        Assert.NotNull(request);
        Assert.Equal("gen:demo", request.Supervisor.DeviceSpec);
        Assert.Equal(128, request.Supervisor.Device.BlockFrames);
        Assert.Equal(44100, request.Supervisor.Device.SampleRateHz);
        Assert.Equal(110250, request.Supervisor.MaxFrames);
        Assert.Equal("edm-club", request.Preset.Name);
    }

    [Fact]
    public void Build_BadValuesEverywhere_ListsEachOnce()
    {
        RunRequest? request = RunCommand.Build(null, None with { BlockFrames = 3, Preset = "nope", Periods = 99 }, -1, null, 50, out IReadOnlyList<string> problems);
        Assert.Null(request);
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("blockFrames", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("periods", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("--duration", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("preset 'nope' not found", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_TestSignal_IsPassedToTheSupervisorOrRejectedInOneLine()
    {
        RunRequest? request = RunCommand.Build(null, None with { Device = "gen:silence" }, 1, null, 50, out IReadOnlyList<string> problems, testSignal: "tone:440:-18");
        Assert.Empty(problems);
        Assert.Equal("tone:440:-18", request!.Supervisor.TestSignal);

        Assert.Null(RunCommand.Build(null, None, 1, null, 50, out problems, testSignal: "tone:loud"));
        string problem = Assert.Single(problems);
        Assert.StartsWith("--test-signal: ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);

        Assert.Null(RunCommand.Build(null, None, 1, null, 50, out problems, testSignal: "organ"));
        Assert.Contains("Unknown generator 'organ'", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Selftest_WithConfigAndStateDir_AllChecksPass()
    {
        string config = Path.Combine(_dir, "config.json");
        File.Copy(Path.Combine(Configuration.RunConfigurationTests.FindRepoRoot(), "deploy-pi", "config.json"), config);
        string state = Path.Combine(_dir, "state");
        Directory.CreateDirectory(state);
        IReadOnlyList<CheckResult> results = SelftestCommand.Run(config, state);
        Assert.All(results, r => Assert.True(r.Outcome == CheckOutcome.Pass, $"{r.Name}: {r.Outcome} {r.Detail}"));
        Assert.Contains(results, r => r.Name == "alsa-path");
        Assert.Empty(Directory.GetFiles(state)); // the probe file is removed
    }

    [Fact]
    public void Selftest_ExplicitMissingPathsAndBadConfig_Fail()
    {
        string config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, """{ "blockFrames": 1 }""");
        IReadOnlyList<CheckResult> results = SelftestCommand.Run(config, Path.Combine(_dir, "absent"));
        Assert.Equal(CheckOutcome.Fail, results.Single(r => r.Name == "config").Outcome);
        Assert.Contains("blockFrames", results.Single(r => r.Name == "config").Detail, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Fail, results.Single(r => r.Name == "state-dir").Outcome);
        Assert.Equal(CheckOutcome.Skip, results.Single(r => r.Name == "preset").Outcome);
    }
}
