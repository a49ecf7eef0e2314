using System.Globalization;
using HardwareMaster.Dsp.Metering;
using ScottPlot;

namespace HardwareMaster.App.Reports.Plots;

/// <summary>What a figure is about, besides the trace: titles, the overs threshold, the target, which stages ran.</summary>
/// <param name="Title">First line of the figure (e.g. the file names).</param>
/// <param name="OverThresholdDbtp">True peak above which a window is marked as an over.</param>
/// <param name="OverLabel">Legend text for the threshold line (e.g. "ceiling −1.0 dBTP").</param>
/// <param name="TargetLufs">Loudness target to draw (null: none).</param>
/// <param name="GainReduction">Draw the gain-reduction panel (render only).</param>
/// <param name="CompressorRan">The compressor ran (false: labelled bypassed, no curve).</param>
/// <param name="LimiterRan">The limiter ran (false: labelled bypassed, no curve).</param>
internal sealed record PlotSpec(string Title, double OverThresholdDbtp, string OverLabel, double? TargetLufs, bool GainReduction, bool CompressorRan, bool LimiterRan);

/// <summary>
/// Draws a <see cref="PlotTrace"/> as one PNG with ScottPlot 5: short-term loudness, gain reduction (render), true
/// peak per window with the overs marked, and the long-term third-octave spectrum, one panel each, stacked.
/// </summary>
internal static class PlotFigure
{
    /// <summary>Figure width in pixels.</summary>
    public const int Width = 1600;

    /// <summary>Figure height in pixels.</summary>
    public const int Height = 1200;

    /// <summary>Lowest level drawn; quieter windows (silence is −∞) sit on this floor.</summary>
    public const double FloorDb = -70;

    private static readonly Color InputColor = Color.FromHex("#1f77b4");
    private static readonly Color OutputColor = Color.FromHex("#ff7f0e");
    private static readonly Color CompressorColor = Color.FromHex("#2ca02c");
    private static readonly Color LimiterColor = Color.FromHex("#9467bd");
    private static readonly Color OverColor = Color.FromHex("#d62728");
    private static readonly Color ReferenceColor = Color.FromHex("#555555");

    /// <summary>Renders the figure and returns the PNG bytes.</summary>
    /// <param name="trace">What was collected.</param>
    /// <param name="spec">Titles and what to draw.</param>
    /// <returns>A <see cref="Width"/>×<see cref="Height"/> PNG.</returns>
    public static byte[] RenderPng(PlotTrace trace, PlotSpec spec)
    {
        if (PlotNative.EnsureLoaded() is string problem)
        {
            throw new InvalidOperationException(problem);
        }

        PlotFonts.EnsureConfigured();
        TraceSide input = trace.InputSide;
        TraceSide output = trace.OutputSide;
        bool hasOutput = output.Windows > 0;
        double seconds = trace.WindowFrames / (double)Math.Max(1, trace.SampleRateHz);

        var figure = new Multiplot();
        Plot loudness = figure.GetPlot(0);
        Loudness(loudness, input, output, hasOutput, seconds, spec);
        loudness.Title(spec.Title + "\nShort-term loudness (3 s window, every 100 ms)");
        if (spec.GainReduction)
        {
            GainReduction(figure.AddPlot(), trace, seconds, spec);
        }

        TruePeak(figure.AddPlot(), input, output, hasOutput, seconds, spec);
        Spectrum(figure.AddPlot(), input, output, hasOutput);

        double duration = Math.Max(input.DurationFrames, output.DurationFrames) / (double)Math.Max(1, trace.SampleRateHz);
        for (int i = 0; i < figure.Subplots.Count; i++)
        {
            Plot plot = figure.GetPlot(i);
            if (i < figure.Subplots.Count - 1)
            {
                // The time panels share one time axis: the whole file.
                plot.Axes.SetLimitsX(0, Math.Max(duration, seconds));
            }

            plot.Axes.Title.Label.FontSize = 16;
            plot.Legend.FontSize = 13;
            plot.Axes.Left.Label.FontSize = 14;
            plot.Axes.Bottom.Label.FontSize = 14;
        }

        using Image image = figure.Render(Width, Height);
        return image.GetImageBytes(ImageFormat.Png);
    }

    private static void Loudness(Plot plot, TraceSide input, TraceSide output, bool hasOutput, double seconds, PlotSpec spec)
    {
        AddTimeLine(plot, input.ShortTermLufs, seconds, InputColor, hasOutput ? "input" : "short-term loudness");
        if (hasOutput)
        {
            AddTimeLine(plot, output.ShortTermLufs, seconds, OutputColor, "output");
        }

        if (spec.TargetLufs is double target)
        {
            HorizontalLine(plot, target, ReferenceColor, string.Create(CultureInfo.InvariantCulture, $"target {target:0.0} LUFS"));
        }

        plot.YLabel("Short-term loudness (LUFS)");
        plot.XLabel("Time (s)");
        FitLevels(plot, [input.ShortTermLufs, output.ShortTermLufs], spec.TargetLufs);
        plot.ShowLegend(Alignment.LowerRight);
    }

    private static void GainReduction(Plot plot, PlotTrace trace, double seconds, PlotSpec spec)
    {
        var bypassed = new List<string>();
        if (spec.CompressorRan)
        {
            AddTimeLine(plot, trace.CompressorDb, seconds, CompressorColor, "compressor");
        }
        else
        {
            bypassed.Add("compressor");
        }

        if (spec.LimiterRan)
        {
            AddTimeLine(plot, trace.LimiterDb, seconds, LimiterColor, "limiter");
        }
        else
        {
            bypassed.Add("limiter");
        }

        string title = "Gain reduction (largest per 100 ms)";
        if (bypassed.Count > 0)
        {
            title += $" — {string.Join(" and ", bypassed)} bypassed";
            plot.Legend.ManualItems.AddRange(bypassed.Select(stage => new LegendItem { LabelText = $"{stage}: bypassed", LineColor = Colors.Gray, LineWidth = 0 }));
        }

        plot.Title(title);
        plot.YLabel("Gain reduction (dB)");
        plot.XLabel("Time (s)");
        double max = 1;
        foreach (double v in spec.CompressorRan ? trace.CompressorDb : [])
        {
            max = Math.Max(max, v);
        }

        foreach (double v in spec.LimiterRan ? trace.LimiterDb : [])
        {
            max = Math.Max(max, v);
        }

        plot.Axes.SetLimitsY(-0.05 * max, max * 1.1);
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void TruePeak(Plot plot, TraceSide input, TraceSide output, bool hasOutput, double seconds, PlotSpec spec)
    {
        TraceSide checkedSide = hasOutput ? output : input;
        AddTimeLine(plot, input.TruePeakDbtp, seconds, hasOutput ? InputColor.WithAlpha(0.6) : InputColor, hasOutput ? "input" : "true peak");
        if (hasOutput)
        {
            AddTimeLine(plot, output.TruePeakDbtp, seconds, OutputColor, "output");
        }

        HorizontalLine(plot, spec.OverThresholdDbtp, OverColor, spec.OverLabel);
        var overX = new List<double>();
        var overY = new List<double>();
        for (int i = 0; i < checkedSide.Windows; i++)
        {
            if (checkedSide.TruePeakDbtp[i] > spec.OverThresholdDbtp)
            {
                overX.Add((i + 1) * seconds);
                overY.Add(checkedSide.TruePeakDbtp[i]);
            }
        }

        string overs = overX.Count.ToString(CultureInfo.InvariantCulture);
        if (overX.Count > 0)
        {
            var markers = plot.Add.Markers(overX.ToArray(), overY.ToArray(), MarkerShape.FilledTriangleUp, 9, OverColor);
            markers.LegendText = $"over ({overs} windows)";
        }
        else
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "no overs", LineWidth = 0 });
        }

        plot.Title($"True peak per 100 ms window ({(hasOutput ? "output" : "file")}: {overs} windows above {spec.OverLabel})");
        plot.YLabel("True peak (dBTP)");
        plot.XLabel("Time (s)");
        FitLevels(plot, [input.TruePeakDbtp, output.TruePeakDbtp], spec.OverThresholdDbtp);
        plot.ShowLegend(Alignment.LowerRight);
    }

    private static void Spectrum(Plot plot, TraceSide input, TraceSide output, bool hasOutput)
    {
        IReadOnlyList<double> centres = LongTermSpectrum.ThirdOctaveCentersHz;
        AddBands(plot, centres, input.ThirdOctaveDb, InputColor, hasOutput ? "input" : "file");
        if (hasOutput)
        {
            AddBands(plot, centres, output.ThirdOctaveDb, OutputColor, "output");
        }

        // Log-frequency axis: positions are log10(Hz), labelled in Hz.
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (double hz in (double[])[31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000])
        {
            ticks.AddMajor(Math.Log10(hz), hz >= 1000 ? (hz / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k" : hz.ToString("0.#", CultureInfo.InvariantCulture));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(Math.Log10(20), Math.Log10(22000));
        plot.Title("Long-term spectrum (1/3 octave, mid channel, Welch average)");
        plot.YLabel("Band level (dB re full scale)");
        plot.XLabel("Frequency (Hz)");
        FitLevels(plot, [input.ThirdOctaveDb, output.ThirdOctaveDb], null, minimumSpanDb: 30);
        plot.ShowLegend(Alignment.LowerLeft);
    }

    private static void AddTimeLine(Plot plot, IReadOnlyList<double> values, double seconds, Color color, string label)
    {
        double[] xs = new double[values.Count];
        double[] ys = new double[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            xs[i] = (i + 1) * seconds;
            ys[i] = Math.Max(FloorDb, double.IsNaN(values[i]) ? FloorDb : values[i]);
        }

        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = 1.5f;
        line.LegendText = label;
    }

    private static void AddBands(Plot plot, IReadOnlyList<double> centres, IReadOnlyList<double> levels, Color color, string label)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < Math.Min(centres.Count, levels.Count); i++)
        {
            if (double.IsFinite(levels[i]))
            {
                xs.Add(Math.Log10(centres[i]));
                ys.Add(Math.Max(FloorDb - 40, levels[i]));
            }
        }

        if (xs.Count == 0)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{label}: too short for a spectrum", LineWidth = 0 });
            return;
        }

        var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = 2;
        line.MarkerSize = 6;
        line.LegendText = label;
    }

    private static void HorizontalLine(Plot plot, double y, Color color, string label)
    {
        var line = plot.Add.HorizontalLine(y, 1.5f, color, LinePattern.Dashed);
        line.LegendText = label;
    }

    // Y limits from the finite data above the floor, with the reference line kept in view.
    private static void FitLevels(Plot plot, IReadOnlyList<double>[] series, double? reference, double minimumSpanDb = 6)
    {
        double low = double.PositiveInfinity;
        double high = double.NegativeInfinity;
        foreach (IReadOnlyList<double> values in series)
        {
            foreach (double v in values)
            {
                if (double.IsFinite(v) && v > FloorDb - 40)
                {
                    low = Math.Min(low, v);
                    high = Math.Max(high, v);
                }
            }
        }

        if (reference is double r)
        {
            low = Math.Min(low, r);
            high = Math.Max(high, r);
        }

        if (!double.IsFinite(low))
        {
            low = FloorDb;
            high = 0;
        }

        if (high - low < minimumSpanDb)
        {
            double middle = 0.5 * (high + low);
            low = middle - (0.5 * minimumSpanDb);
            high = middle + (0.5 * minimumSpanDb);
        }

        double pad = Math.Max(1, 0.08 * (high - low));
        plot.Axes.SetLimitsY(low - pad, high + pad);
    }
}
