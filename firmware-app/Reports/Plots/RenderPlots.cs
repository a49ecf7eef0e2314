using System.Globalization;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Rendering;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Reports.Plots;

/// <summary>The <c>--plot</c> step of <c>render</c> and <c>measure</c>: figure from a finished trace, written to the checked path.</summary>
internal static class RenderPlots
{
    /// <summary>
    /// Overs threshold for <c>measure --plot</c>: −1 dBTP, the ceiling the platforms ask for (Spotify, Apple Music,
    /// EBU R 128 s1 allows −1 dBTP), so a file that would be flagged on delivery shows its overs.
    /// </summary>
    public const double MeasureOverDbtp = -1.0;

    /// <summary>
    /// Tolerance above the limiter ceiling before a window of a render counts as an over: the report's own "ceiling not
    /// held" tolerance (0.1 dB), so the plot and the report agree.
    /// </summary>
    public const double CeilingToleranceDb = 0.1;

    /// <summary>Draws the render's figure and writes it; 0, or 1 with one error line when the plot cannot be written (the master stays).</summary>
    /// <param name="plotPath">Checked path.</param>
    /// <param name="mode">From <see cref="PlotOutput.Check"/>.</param>
    /// <param name="trace">The render's trace.</param>
    /// <param name="request">The request (target, ceiling).</param>
    /// <param name="result">The result (which stages ran).</param>
    /// <returns>The exit code.</returns>
    public static int Write(string plotPath, OutputMode mode, PlotTrace trace, RenderRequest request, RenderResult result)
    {
        double ceiling = request.Values[ParameterIds.LimiterCeiling];
        var spec = new PlotSpec(
            $"{Path.GetFileName(request.InputPath)} → {Path.GetFileName(request.OutputPath)}  (preset {request.PresetName ?? "none"})",
            ceiling + CeilingToleranceDb,
            string.Create(CultureInfo.InvariantCulture, $"the {ceiling:0.0} dBTP ceiling (+{CeilingToleranceDb:0.0} dB)"),
            request.TargetLufs,
            GainReduction: true,
            CompressorRan: result.Compressor is not null && !trace.CompressorBypassed,
            LimiterRan: result.Limiter is not null && !trace.LimiterBypassed);
        return Write(plotPath, mode, trace, spec, $" (the master {request.OutputPath} is complete)");
    }

    /// <summary>Draws one measured file's figure and writes it; 0, or 1 with one error line.</summary>
    /// <param name="plotPath">Checked path.</param>
    /// <param name="mode">From <see cref="PlotOutput.Check"/>.</param>
    /// <param name="trace">The file's trace (input side only).</param>
    /// <param name="file">The measured file.</param>
    /// <returns>The exit code.</returns>
    public static int WriteMeasure(string plotPath, OutputMode mode, PlotTrace trace, string file)
    {
        var spec = new PlotSpec(
            Path.GetFileName(file),
            MeasureOverDbtp,
            string.Create(CultureInfo.InvariantCulture, $"{MeasureOverDbtp:0.0} dBTP (delivery ceiling)"),
            TargetLufs: null,
            GainReduction: false,
            CompressorRan: false,
            LimiterRan: false);
        return Write(plotPath, mode, trace, spec, string.Empty);
    }

    private static int Write(string plotPath, OutputMode mode, PlotTrace trace, PlotSpec spec, string note)
    {
        byte[] png;
        try
        {
            png = PlotFigure.RenderPng(trace, spec);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or InvalidOperationException)
        {
            // The graphics library (libSkiaSharp.so beside the binary) is missing or unusable.
            Cli.Error($"{plotPath}: the plot failed{note}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}");
            return 1;
        }

        try
        {
            PlotOutput.Write(plotPath, mode, png);
            return 0;
        }
        catch (IOException e)
        {
            Cli.Error($"{plotPath}: the plot failed{note}: {e.Message}");
            return 1;
        }
    }
}
