using System.Diagnostics;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Rendering;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Hal.Files;
using HardwareMaster.Hal.Tests.Faults;

namespace HardwareMaster.App.Tests.Faults;

/// <summary>"Nothing lost" for every file the program writes: render OUT, demo --out, run --output and --stats-json, presets.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class OutputSafetyTests
{
    private static readonly RunConfigurationOverrides None = new(null, null, null, null, null, null, null);

    private static void Shell(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} failed: {process.StandardError.ReadToEnd()}");
    }

    private static int DeadProcessId()
    {
        using Process process = Process.Start(new ProcessStartInfo("true"))!;
        int pid = process.Id;
        process.WaitForExit();
        return pid;
    }

    private static void AssertOneErrorLine(string error)
    {
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one error line, got:\n" + error);
        Assert.StartsWith("hardwaremaster: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(".part", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OutputThroughSymlinkToTheInputsFolder_RefusesAndKeepsTheInput()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        byte[] before = File.ReadAllBytes(input);
        Directory.CreateSymbolicLink(files.PathOf("here"), files.Directory);

        (int code, _, string error) = CliRunner.Run("render", input, Path.Combine(files.PathOf("here"), "mix.wav"));

        Assert.Equal(2, code);
        AssertOneErrorLine(error);
        Assert.Contains("refusing to overwrite the input file", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Render_OutputThroughProcSelfRoot_RefusesAndKeepsTheInput()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        byte[] before = File.ReadAllBytes(input);

        (int code, _, string error) = CliRunner.Run("render", input, "/proc/self/root" + input);

        Assert.Equal(2, code);
        Assert.Contains("refusing to overwrite the input file", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Render_OutputIsAHardLinkTwinOfTheInput_Refuses()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        byte[] before = File.ReadAllBytes(input);
        string twin = files.PathOf("twin.wav");
        Shell("ln", input, twin);

        (int code, _, string error) = CliRunner.Run("render", input, twin);

        Assert.Equal(2, code);
        Assert.Contains("refusing to overwrite the input file", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Theory]
    [InlineData("", "out.wav", "IN: the path is empty")]
    [InlineData("mix.wav", "", "OUT: the path is empty")]
    [InlineData("mix.wav", " ", "OUT: the path is empty")]
    public void Render_EmptyPath_OneLineExitTwo(string inputName, string outputName, string expected)
    {
        using var files = new TestFiles();
        string input = inputName.Length == 0 ? string.Empty : files.DemoMix(seconds: 1);
        string output = string.IsNullOrWhiteSpace(outputName) ? outputName : files.PathOf(outputName);

        (int code, _, string error) = CliRunner.Run("render", input, output);

        Assert.Equal(2, code);
        AssertOneErrorLine(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OutputIsAFolder_RefusedUpFront()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        string folder = Directory.CreateDirectory(files.PathOf("out.wav")).FullName;

        (int code, string text, string error) = CliRunner.Run("render", input, folder);

        Assert.Equal(2, code); // a validation error, found before any pass (no report was printed)
        Assert.Empty(text);
        AssertOneErrorLine(error);
        Assert.Contains("is a folder", error, StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public async Task Render_InputIsAFifo_RefusedInsteadOfHanging()
    {
        using var files = new TestFiles();
        string fifo = files.PathOf("in.wav");
        Shell("mkfifo", fifo);

        Task<(int, string, string)> render = Task.Run(() => CliRunner.Run("render", fifo, files.PathOf("out.wav")));

        // Safety net only: before the fix the render blocked forever opening the FIFO.
        (int code, _, string error) = await render.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, code);
        AssertOneErrorLine(error);
        Assert.Contains("needs a seekable file (a pipe/FIFO cannot be read twice)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DiskFullMidWrite_OneLineNamingTheOutput_OldOutputKept_NoTemporaryLeft()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 4);
        string output = files.PathOf("master.wav");
        File.WriteAllText(output, "the previous master");

        OfflineRenderer.OutputStreamWrapper = file => new FullDiskStream(file, 100_000);
        (int code, _, string error) = (0, string.Empty, string.Empty);
        try
        {
            (code, _, error) = CliRunner.Run("render", input, output);
        }
        finally
        {
            OfflineRenderer.OutputStreamWrapper = null;
        }

        Assert.Equal(1, code);
        AssertOneErrorLine(error);
        Assert.Contains($"{output}: write error: No space left on device", error, StringComparison.Ordinal);
        Assert.Equal("the previous master", File.ReadAllText(output));
        Assert.Empty(Directory.GetFiles(files.Directory, ".master.part*"));
        Assert.DoesNotContain(OutputFile.Tracked(), path => path.StartsWith(files.Directory, StringComparison.Ordinal)); // other tests may be writing elsewhere
    }

    [Fact]
    public void Render_ToDevFull_OneLineWriteErrorExitOne()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 2);

        (int code, _, string error) = CliRunner.Run("render", input, "/dev/full");

        Assert.Equal(1, code);
        AssertOneErrorLine(error);
        Assert.Contains("/dev/full: write error", error, StringComparison.Ordinal);
        Assert.Equal(FileKind.CharacterDevice, FileIdentity.Of("/dev/full").Kind);
    }

    [Fact]
    public void Render_ToDevNull_WritesTheDeviceDirectlyAndLeavesItADevice()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);

        (int code, _, string error) = CliRunner.Run("render", input, "/dev/null");

        Assert.True(code == 0, error);
        Assert.Equal(FileKind.CharacterDevice, FileIdentity.Of("/dev/null").Kind);
    }

    [Fact]
    public void Render_LimiterBypassed_WarnsThatTheCeilingIsNotHeld()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 4);

        RenderRequest request = RenderCommand.BuildRequest(input, files.PathOf("out.wav"), null, null, ["limiter.bypass=on"], "-5", null, "24", 512, 3.0, out string? problem)!;
        Assert.Null(problem);

        RenderResult result = OfflineRenderer.Render(request);

        double truePeak = result.Output.TruePeakDbtp;
        Assert.True(truePeak > -1, $"the bypassed limiter should let the peaks through (true peak {truePeak})");
        Assert.Contains(result.Warnings, w => w.Contains("-1.0 dBTP ceiling is not held", StringComparison.Ordinal) && w.Contains("limiter.bypass", StringComparison.Ordinal) && w.Contains($"{truePeak:0.0} dBTP", StringComparison.Ordinal));

        // The same through the CLI: the warning is on stderr.
        (int code, _, string error) = CliRunner.Run("render", input, files.PathOf("out2.wav"), "--set", "limiter.bypass=on", "--target", "-5");
        Assert.Equal(0, code);
        Assert.Contains("hardwaremaster: warning: the -1.0 dBTP ceiling is not held", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StaleTemporaryOfADeadProcess_IsRemoved_OthersAreLeft()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        int dead = DeadProcessId();
        string stale = files.PathOf($".out.part{dead}.wav");
        string alive = files.PathOf($".out.part{Environment.ProcessId}.wav.keep");
        string otherOutput = files.PathOf($".other.part{dead}.wav");
        string notOurs = files.PathOf(".out.partly.wav");
        foreach (string path in new[] { stale, alive, otherOutput, notOurs })
        {
            File.WriteAllText(path, "x");
        }

        (int code, _, string error) = CliRunner.Run("render", input, files.PathOf("out.wav"));

        Assert.True(code == 0, error);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(alive));
        Assert.True(File.Exists(otherOutput));
        Assert.True(File.Exists(notOurs));
        Assert.Empty(Directory.GetFiles(files.Directory, $".out.part{Environment.ProcessId}.wav"));
    }

    [Fact]
    public void OutputFile_TrackedTemporary_IsDeletedByTheSignalCleanup()
    {
        using var files = new TestFiles();
        string output = files.PathOf("song.wav");
        using (FileStream stream = OutputFile.Open(output, OutputMode.Atomic, out string temporary))
        {
            stream.WriteByte(1);
            Assert.Contains(temporary, OutputFile.Tracked());
            Assert.Matches(@"/\.song\.part\d+\.wav$", temporary);
        }

        Assert.True(OutputFile.DeleteTracked() >= 1);
        Assert.Empty(Directory.GetFiles(files.Directory, ".song.part*"));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Demo_DiskFullMidWrite_OldMixKept_OneLineNamingIt()
    {
        using var files = new TestFiles();
        string mix = files.PathOf("demo.wav");
        File.WriteAllText(mix, "the previous mix");

        var error = Assert.Throws<HardwareMaster.Hal.AudioFiles.AudioFileException>(() => DemoCommand.WriteDemoMix(mix, 48000 * 5, 48000, file => new FullDiskStream(file, 200_000)));

        Assert.StartsWith($"{mix}: write error: No space left on device", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".part", error.Message, StringComparison.Ordinal);
        Assert.Equal("the previous mix", File.ReadAllText(mix));
        Assert.Empty(Directory.GetFiles(files.Directory, ".demo.part*"));
    }

    [Fact]
    public void Demo_OutIsAFolder_RefusedUpFront()
    {
        using var files = new TestFiles();
        string folder = Directory.CreateDirectory(files.PathOf("mix.wav")).FullName;

        (int code, string text, string error) = CliRunner.Run("demo", "--seconds", "1", "--out", folder);

        Assert.Equal(2, code);
        Assert.Empty(text);
        AssertOneErrorLine(error);
        Assert.Contains("is a folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AtomicFile_CharacterDevice_IsWrittenDirectlyNeverReplaced()
    {
        IOException error = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText("/dev/full", "{}\n"));
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.Equal(FileKind.CharacterDevice, FileIdentity.Of("/dev/full").Kind);

        AtomicFile.WriteAllText("/dev/null", "{}\n");
        Assert.Equal(FileKind.CharacterDevice, FileIdentity.Of("/dev/null").Kind);
    }

    [Fact]
    public async Task AtomicFile_Fifo_IsWrittenDirectly_FolderIsRefused()
    {
        using var files = new TestFiles();
        string fifo = files.PathOf("stats.json");
        Shell("mkfifo", fifo);
        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));

        AtomicFile.WriteAllText(fifo, "{\"ok\":1}\n");

        Assert.Equal("{\"ok\":1}\n", await reader.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(FileKind.Fifo, FileIdentity.Of(fifo).Kind);

        string folder = Directory.CreateDirectory(files.PathOf("folder.json")).FullName;
        IOException refused = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(folder, "{}"));
        Assert.Contains("is a folder", refused.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public void RunHost_StatsJsonOnACharacterDevice_WritesItDirectlyAndExitsThree()
    {
        // Before the fix, root's atomic replace turned /dev/full into a regular file. As root the test uses its own
        // node of the same device (mknod c 1 7), so a regression cannot break the machine's /dev/full.
        using var files = new TestFiles();
        string full = files.PathOf("full");
        using (Process? mknod = Process.Start(new ProcessStartInfo("mknod", [full, "c", "1", "7"]) { RedirectStandardError = true }))
        {
            mknod!.WaitForExit();
            full = mknod.ExitCode == 0 ? full : "/dev/full";
        }

        RunRequest request = RunCommand.Build(null, None with { Device = "gen:silence", RealtimePriority = 0 }, 0.05, full, 0, out IReadOnlyList<string> problems)!;
        Assert.Empty(problems);

        (int code, string error) = RunHostQuietly(request);

        Assert.Equal(3, code);
        Assert.Contains($"cannot write the statistics to '{full}'", error, StringComparison.Ordinal);
        Assert.Equal(FileKind.CharacterDevice, FileIdentity.Of(full).Kind);
    }

    [Fact]
    public void RunHost_FileOutputOnAFullDisk_EndsNonZeroInsteadOfCompleted()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 2);
        RunRequest request = RunCommand.Build(null, None with { Device = "file:" + input, Output = "/dev/full", RealtimePriority = 0 }, null, null, 0, out IReadOnlyList<string> problems)!;
        Assert.Empty(problems);

        (int code, _) = RunHostQuietly(request);

        Assert.NotEqual(0, code);
    }

    [Fact]
    public void Build_OutputIsTheInputFileByAnyName_Refused()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        Directory.CreateSymbolicLink(files.PathOf("here"), files.Directory);
        File.CreateSymbolicLink(files.PathOf("link.wav"), input);
        Shell("ln", input, files.PathOf("twin.wav"));

        foreach (string output in new[] { input, Path.Combine(files.PathOf("here"), "mix.wav"), files.PathOf("link.wav"), files.PathOf("twin.wav"), "file:" + input })
        {
            RunRequest? request = RunCommand.Build(null, None with { Device = "file:" + input, Output = output }, null, null, 50, out IReadOnlyList<string> problems);
            Assert.Null(request);
            Assert.Contains("refusing to overwrite the input file", Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Build_StatsJsonIsTheInputOrTheOutput_Refused()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        string output = files.PathOf("out.wav");

        RunCommand.Build(null, None with { Device = "file:" + input, Output = output }, null, input, 50, out IReadOnlyList<string> problems);
        Assert.Contains("--stats-json", Assert.Single(problems), StringComparison.Ordinal);

        // The output need not exist yet: the same name in the same folder (here reached through a link) is enough.
        Directory.CreateSymbolicLink(files.PathOf("here"), files.Directory);
        RunCommand.Build(null, None with { Device = "file:" + input, Output = output }, null, Path.Combine(files.PathOf("here"), "out.wav"), 50, out problems);
        Assert.Contains("is the audio output", Assert.Single(problems), StringComparison.Ordinal);

        Assert.NotNull(RunCommand.Build(null, None with { Device = "file:" + input, Output = output }, null, files.PathOf("stats.json"), 50, out problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void Build_FilePrefixOnOutput_IsStrippedForAFileDevice_RejectedForOthers()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        string output = files.PathOf("x.wav");

        RunRequest? request = RunCommand.Build(null, None with { Device = "file:" + input, Output = "file:" + output }, null, null, 50, out IReadOnlyList<string> problems);
        Assert.Empty(problems);
        Assert.Equal(output, request!.Supervisor.Device.OutputName);

        Assert.Null(RunCommand.Build(null, None with { Device = "gen:tone", Output = "file:" + output }, 1, null, 50, out problems));
        Assert.Contains("a file output needs a file input", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OutputFolderOrFifo_Refused()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        string folder = Directory.CreateDirectory(files.PathOf("out.wav")).FullName;
        string fifo = files.PathOf("fifo.wav");
        Shell("mkfifo", fifo);

        RunCommand.Build(null, None with { Device = "file:" + input, Output = folder }, null, null, 50, out IReadOnlyList<string> problems);
        Assert.Contains("is a folder", Assert.Single(problems), StringComparison.Ordinal);
        RunCommand.Build(null, None with { Device = "file:" + input, Output = fifo }, null, null, 50, out problems);
        Assert.Contains("pipe/FIFO", Assert.Single(problems), StringComparison.Ordinal);
    }

    private static (int Code, string Error) RunHostQuietly(RunRequest request)
    {
        (Task<int> run, string output, string error) = CliRunner.Capture(() =>
        {
            Task<int> started = RunHost.RunAsync(request);
            started.Wait(TimeSpan.FromSeconds(120));
            return started;
        });
        Assert.True(run.IsCompleted, "run did not end:\n" + output);
        return (run.Result, error);
    }
}
