using System.Buffers.Binary;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Rendering;
using HardwareMaster.App.Reports.Plots;
using HardwareMaster.App.Tests.Rendering;
using SkiaSharp;

namespace HardwareMaster.App.Tests.Reports;

/// <summary><c>render --plot</c> and <c>measure --plot</c>: the PNG, the path checks before any work, and what the trace collects.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class PlotTests : IDisposable
{
    private static readonly byte[] s_pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Render_WithPlot_WritesA1600x1200PngWithContent()
    {
        string input = _files.DemoMix(seconds: 6);
        string output = _files.PathOf("master.wav");
        string plot = _files.PathOf("render.png");

        (int exit, _, string error) = CliRunner.Run("render", input, output, "--plot", plot);

        Assert.True(exit == 0, error);
        Assert.True(File.Exists(output));
        AssertPlot(plot, minimumColours: 200);
        Assert.Empty(Directory.GetFiles(_files.Directory, ".*")); // no temporary left beside it
    }

    [Fact]
    public void Measure_WithPlot_WritesA1600x1200PngWithContent()
    {
        string input = _files.DemoMix(seconds: 6);
        string plot = _files.PathOf("measure.png");

        (int exit, _, string error) = CliRunner.Run("measure", input, "--plot", plot);

        Assert.True(exit == 0, error);
        AssertPlot(plot, minimumColours: 100);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Measure_WithPlot_PrintsTheSameReportAsWithout(bool asJson)
    {
        string input = _files.DemoMix(seconds: 4);
        string[] format = asJson ? ["--json"] : [];

        (int plain, string plainOut, string plainError) = CliRunner.Run(["measure", input, .. format]);
        (int plotted, string plottedOut, string plottedError) = CliRunner.Run(["measure", input, .. format, "--plot", _files.PathOf("m.png")]);

        Assert.Equal(0, plain);
        Assert.Equal(0, plotted);
        Assert.Contains(asJson ? "integrated_lufs" : "Integrated", plainOut);
        Assert.Equal(plainOut, plottedOut);
        Assert.Equal(plainError, plottedError);
        Assert.True(File.Exists(_files.PathOf("m.png")));
    }

    [Fact]
    public void RenderPng_DifferentTitle_ChangesTheTitlePixels()
    {
        // Text is really drawn (a font was found): a different title changes the pixels at the top of the figure only.
        PlotTrace trace = TraceOf(seconds: 5);
        var spec = new PlotSpec("AAAA", -1, "-1 dBTP", null, GainReduction: false, CompressorRan: false, LimiterRan: false);

        using SKBitmap a = SKBitmap.Decode(PlotFigure.RenderPng(trace, spec));
        using SKBitmap b = SKBitmap.Decode(PlotFigure.RenderPng(trace, spec with { Title = "WWWW WWWW WWWW" }));

        Assert.True(CountDifferentPixels(a, b, 0, 20) > 50, "the title text did not change the title band");
        Assert.True(CountDarkPixels(a, 0, 20) > 30, "no dark text pixels in the title band");
    }

    [Theory]
    [InlineData("input")]
    [InlineData("output")]
    [InlineData("folder")]
    [InlineData("missing-folder")]
    [InlineData("not-png")]
    public void Render_BadPlotPath_OneLineExit2AndNoRender(string kind)
    {
        string input = _files.DemoMix(seconds: 2);
        string output = _files.PathOf("master.wav");
        string plot = kind switch
        {
            "input" => input,
            "output" => output,
            "folder" => _files.Directory,
            "missing-folder" => Path.Combine(_files.Directory, "no-such-folder", "p.png"),
            _ => _files.PathOf("plot.wav"),
        };
        byte[] before = File.ReadAllBytes(input);

        (int exit, string stdout, string error) = CliRunner.Run("render", input, output, "--plot", plot);

        Assert.Equal(2, exit);
        string line = CliRunner.SingleLine(error);
        Assert.Contains(plot, line);
        Assert.Equal(string.Empty, stdout);
        Assert.False(File.Exists(output), "the render ran");
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Render_ExistingOutputAsPlot_RefusedAndKept()
    {
        string input = _files.DemoMix(seconds: 2);
        string output = _files.PathOf("master.wav");
        File.WriteAllText(output, "previous master");

        (int exit, _, string error) = CliRunner.Run("render", input, output, "--plot", output);

        Assert.Equal(2, exit);
        Assert.Contains("output", CliRunner.SingleLine(error));
        Assert.Equal("previous master", File.ReadAllText(output));
    }

    [Theory]
    [InlineData("input")]
    [InlineData("folder")]
    [InlineData("missing-folder")]
    public void Measure_BadPlotPath_OneLineExit2AndNoReport(string kind)
    {
        string input = _files.DemoMix(seconds: 2);
        string plot = kind switch
        {
            "input" => input,
            "folder" => _files.Directory,
            _ => Path.Combine(_files.Directory, "no-such-folder", "p.png"),
        };
        byte[] before = File.ReadAllBytes(input);

        (int exit, string stdout, string error) = CliRunner.Run("measure", input, "--plot", plot);

        Assert.Equal(2, exit);
        Assert.Contains(plot, CliRunner.SingleLine(error));
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Measure_PlotWithTwoFiles_OneLineExit2()
    {
        string a = _files.DemoMix("a.wav", seconds: 1);
        string b = _files.DemoMix("b.wav", seconds: 1);

        (int exit, string stdout, string error) = CliRunner.Run("measure", a, b, "--plot", _files.PathOf("p.png"));

        Assert.Equal(2, exit);
        Assert.Contains("exactly one FILE", CliRunner.SingleLine(error));
        Assert.Equal(string.Empty, stdout);
        Assert.False(File.Exists(_files.PathOf("p.png")));
    }

    [Fact]
    public void Render_PlotCannotBeWritten_MasterStaysAndExit1()
    {
        // /proc/self is a folder, so the path passes the check, but nothing can be created in it.
        string input = _files.DemoMix(seconds: 2);
        string output = _files.PathOf("master.wav");
        const string plot = "/proc/self/hm-plot-test.png";

        (int exit, _, string error) = CliRunner.Run("render", input, output, "--plot", plot);

        Assert.Equal(1, exit);
        string line = error.Split('\n').Single(l => l.Contains(plot, StringComparison.Ordinal));
        Assert.Contains("the plot failed", line);
        Assert.Contains("complete", line);
        Assert.True(File.Exists(output));
        Assert.True(new FileInfo(output).Length > 44);
    }

    [Fact]
    public void Input_KnownDuration_OneWindowPer100MsAndAPartialLast()
    {
        // 10.05 s at 48 kHz in odd chunk sizes: 100 full windows and one partial one.
        var trace = new PlotTrace();
        trace.Begin(48000, 2);
        int total = 482400;
        var random = new Random(3);
        float[] left = new float[7000];
        float[] right = new float[7000];
        for (int i = 0; i < left.Length; i++)
        {
            left[i] = right[i] = (float)(0.1 * ((random.NextDouble() * 2) - 1));
        }

        for (int done = 0; done < total;)
        {
            int n = Math.Min(total - done, 1 + random.Next(left.Length - 1));
            trace.Input(left.AsSpan(0, n), right.AsSpan(0, n));
            done += n;
        }

        Assert.Equal(4800, trace.WindowFrames);
        Assert.Equal(101, trace.InputSide.Windows);
        Assert.Equal(101, trace.InputSide.TruePeakDbtp.Count);
        Assert.Equal(total, trace.InputSide.DurationFrames);
        Assert.Equal(0, trace.OutputSide.Windows);

        // White noise of sample peak 0.1 (−20 dBFS): a steady short-term level once the 3 s window is full, and true
        // peaks at or a few dB above the sample peak (inter-sample peaks of full-band noise).
        Assert.InRange(trace.InputSide.ShortTermLufs[^2] - trace.InputSide.ShortTermLufs[40], -1, 1);
        Assert.All(trace.InputSide.TruePeakDbtp, tp => Assert.InRange(tp, -20.5, -13));
        Assert.All(trace.InputSide.ThirdOctaveDb.Take(25), band => Assert.True(double.IsFinite(band)));
    }

    [Fact]
    public void GainReduction_Blocks_FoldIntoWindowsWithTheLargestValue()
    {
        var trace = new PlotTrace();
        trace.Begin(48000, 1);
        for (int block = 0; block < 30; block++)
        {
            trace.GainReduction(compressorDb: block % 10, limiterDb: block == 12 ? 6 : 0, frames: 1000); // 30 000 frames
        }

        Assert.Equal(7, trace.LimiterDb.Count); // 6.25 windows of 4 800 frames
        Assert.Equal(7, trace.CompressorDb.Count);
        Assert.Equal(6, trace.LimiterDb.Max());
        Assert.Equal(1, trace.LimiterDb.Count(db => db > 0));
        Assert.Equal(9, trace.CompressorDb.Max());
    }

    [Fact]
    public void Render_LimiterWorking_TraceShowsLimiterGainReduction()
    {
        (PlotTrace trace, RenderResult result) = RenderTraced("limiter.bypass=off", -7);

        Assert.NotNull(result.Limiter);
        Assert.True(trace.LimiterDb.Max() > 1, $"limiter GR max {trace.LimiterDb.Max()} dB");
        AssertWindowsCover(trace, result);
    }

    [Fact]
    public void Render_LimiterBypassed_TraceShowsNoLimiterGainReduction()
    {
        (PlotTrace trace, RenderResult result) = RenderTraced("limiter.bypass=on", -7);

        Assert.Null(result.Limiter);
        Assert.True(trace.LimiterBypassed);
        Assert.Empty(trace.LimiterDb);
        Assert.NotEmpty(trace.CompressorDb);
        Assert.Equal(trace.OutputSide.Windows, trace.InputSide.Windows);
    }

    private (PlotTrace Trace, RenderResult Result) RenderTraced(string assignment, double targetLufs)
    {
        string input = _files.DemoMix(seconds: 6);
        RenderRequest? request = RenderCommand.BuildRequest(input, _files.PathOf("m.wav"), null, null, [assignment], targetLufs.ToString(System.Globalization.CultureInfo.InvariantCulture), null, "24", 512, 20, out string? error);
        Assert.True(request is not null, error);
        var trace = new PlotTrace(request.Values);
        RenderResult result = OfflineRenderer.Render(request with { Trace = trace });
        return (trace, result);
    }

    // The output windows cover the master exactly: one per 100 ms, the last one partial.
    private static void AssertWindowsCover(PlotTrace trace, RenderResult result)
    {
        int expected = (int)((result.Output.DurationFrames + trace.WindowFrames - 1) / trace.WindowFrames);
        Assert.Equal(expected, trace.OutputSide.Windows);
        Assert.Equal(expected, trace.InputSide.Windows);
        Assert.InRange(trace.LimiterDb.Count, expected, expected + 1); // the latency tail may add one window
        Assert.InRange(trace.CompressorDb.Count, expected, expected + 1);
    }

    private static PlotTrace TraceOf(double seconds)
    {
        var trace = new PlotTrace();
        trace.Begin(48000, 2);
        int frames = (int)(seconds * 48000);
        float[] left = new float[frames];
        float[] right = new float[frames];
        Hal.Audio.Generators.DemoMix.Render(left, right, 0, 48000);
        trace.Input(left, right);
        return trace;
    }

    private static void AssertPlot(string path, int minimumColours)
    {
        byte[] png = File.ReadAllBytes(path);
        Assert.Equal(s_pngSignature, png.AsSpan(0, 8).ToArray());
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(PlotFigure.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(PlotFigure.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));

        using SKBitmap bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(PlotFigure.Width, bitmap.Width);
        Assert.Equal(PlotFigure.Height, bitmap.Height);
        var colours = new HashSet<uint>();
        int nonWhite = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                SKColor c = bitmap.GetPixel(x, y);
                colours.Add((uint)c);
                if (c.Red < 240 || c.Green < 240 || c.Blue < 240)
                {
                    nonWhite++;
                }
            }
        }

        Assert.True(colours.Count >= minimumColours, $"{colours.Count} distinct colours");
        Assert.True(nonWhite > 5000, $"{nonWhite} non-white pixels (of {bitmap.Width * bitmap.Height / 4} sampled)");
        Assert.True(CountDarkPixels(bitmap, 0, 20) > 30, "no title text");
    }

    private static int CountDarkPixels(SKBitmap bitmap, int top, int bottom)
    {
        int dark = 0;
        for (int y = top; y < bottom; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (c.Red < 100 && c.Green < 100 && c.Blue < 100)
                {
                    dark++;
                }
            }
        }

        return dark;
    }

    private static int CountDifferentPixels(SKBitmap a, SKBitmap b, int top, int bottom)
    {
        int different = 0;
        for (int y = top; y < bottom; y++)
        {
            for (int x = 0; x < a.Width; x++)
            {
                if (a.GetPixel(x, y) != b.GetPixel(x, y))
                {
                    different++;
                }
            }
        }

        return different;
    }
}
