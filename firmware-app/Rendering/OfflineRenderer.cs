using System.Collections.ObjectModel;
using System.Runtime.ExceptionServices;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Reports;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Rendering;

/// <summary>What to render and how.</summary>
/// <param name="InputPath">Source file.</param>
/// <param name="OutputPath">Destination file (written to a temporary file beside it, flushed and renamed on success; a character device such as <c>/dev/null</c> is written directly).</param>
/// <param name="Values">Chain parameters; <c>target.lufs</c> is the loudness target (null target = keep <c>loudness.gain</c>).</param>
/// <param name="TargetLufs">Integrated loudness to reach, or null to use <c>loudness.gain</c> as set.</param>
/// <param name="Encoding">Output word: Pcm16 / Pcm24 (dithered when <c>dither.enabled</c>) or Float32.</param>
/// <param name="BlockFrames">Block size the chain runs at (the output does not depend on it).</param>
/// <param name="MaxLimitingLu">Most loudness the limiter may take away before the render backs off and warns.</param>
/// <param name="PresetName">Name of the preset <paramref name="Values"/> came from, for the report (null = not from a preset).</param>
/// <param name="Trace">Receives the source, the master and the gain reduction for plots (null = none).</param>
/// <param name="ProgrammeLufs">Programme loudness the glue compressor is set for (album mode: the album's); null = measured from this file.</param>
public sealed record RenderRequest(
    string InputPath,
    string OutputPath,
    ParameterSet Values,
    double? TargetLufs,
    SampleEncoding Encoding = SampleEncoding.Pcm24,
    int BlockFrames = 512,
    double MaxLimitingLu = 3.0,
    string? PresetName = null,
    IRenderTrace? Trace = null,
    double? ProgrammeLufs = null);

/// <summary>Gain-reduction statistics of one dynamics stage over a render.</summary>
/// <param name="MaxDb">Largest reduction, dB (positive number).</param>
/// <param name="MeanDb">Time-average reduction, dB.</param>
/// <param name="ActivePercent">Share of the time with more than 0.1 dB of reduction.</param>
public readonly record struct GainReductionStats(double MaxDb, double MeanDb, double ActivePercent);

/// <summary>The outcome of a render.</summary>
/// <param name="Input">Loudness of the source.</param>
/// <param name="Output">Loudness of the written master (measured on the exact samples written).</param>
/// <param name="Format">Output format.</param>
/// <param name="LoudnessGainDb">Loudness gain the final pass used.</param>
/// <param name="Passes">Passes over the audio, analysis included (a source that fits in memory is read from the file once; the later passes run on what the earlier stages produced, kept in memory).</param>
/// <param name="Compressor">Compressor gain reduction; null when the compressor was bypassed (it did not run).</param>
/// <param name="Limiter">Limiter gain reduction; null when the limiter was bypassed (it did not run).</param>
/// <param name="LatencyFrames">Chain latency that was compensated.</param>
/// <param name="Warnings">Things the user should know (target not reached, ceiling not held, clipping, what the input looks like: lines starting "input: ").</param>
/// <param name="InputHealth">Per-sample statistics of the source (DC, full-scale samples, correlation).</param>
/// <param name="OutputHealth">Per-sample statistics of the master as rendered (before the word-length conversion).</param>
public sealed record RenderResult(
    LoudnessReport Input,
    LoudnessReport Output,
    AudioFileFormat Format,
    double LoudnessGainDb,
    int Passes,
    GainReductionStats? Compressor,
    GainReductionStats? Limiter,
    int LatencyFrames,
    IReadOnlyList<string> Warnings,
    SignalHealthReport InputHealth = default,
    SignalHealthReport OutputHealth = default);

/// <summary>What <see cref="OfflineRenderer.Analyze"/> measured.</summary>
/// <param name="Format">Format of the source.</param>
/// <param name="Input">Loudness of the source.</param>
/// <param name="PreLimiter">Loudness that reaches the loudness-gain stage (loudness gain 0 dB): target − this is the gain.</param>
/// <param name="ProgrammeLufs">Programme loudness the compressor was set for (NaN: not measured, the reference is used).</param>
/// <param name="InputHealth">Per-sample statistics of the source.</param>
/// <param name="Passes">Passes over the audio (the first reads the file).</param>
public sealed record RenderAnalysis(
    AudioFileFormat Format,
    LoudnessReport Input,
    LoudnessReport PreLimiter,
    double ProgrammeLufs,
    SignalHealthReport InputHealth,
    int Passes);

/// <summary>
/// Offline mastering: the same <see cref="MasteringChain"/> the box runs, fed from a file in fixed blocks
/// as fast as the CPU allows, with two-pass loudness targeting and latency compensation.
/// </summary>
/// <remarks>
/// When the compressor runs, a first pass measures the loudness that reaches it and every later pass sets it as the
/// chain's programme loudness (<see cref="MasteringChain.SetProgrammeLoudness"/>: the glue does not depend on the input level).
/// The analysis pass runs only the stages before the loudness gain (<see cref="MasteringChain.ProcessUntil"/>) and
/// measures the integrated loudness that reaches the loudness-gain stage. The loudness gain is then target − that loudness, and
/// the next pass renders. Limiting takes some loudness away, so when it misses the target by more than
/// 0.2 LU a corrective pass follows (at most five writing passes in all). When reaching the target would make the
/// limiter take away more than <see cref="RenderRequest.MaxLimitingLu"/>, the gain is backed off until the limiting is
/// within it (a bracketing secant over the writing passes) and a warning says by how much and what was achieved,
/// instead of crushing the master silently. A source that fits in memory (<see cref="DefaultMaxBufferedBytes"/>) is
/// read and decoded once: the later passes run only their own stages on the kept audio (same output as streaming).
/// </remarks>
public static class OfflineRenderer
{
    private const double ToleranceLu = 0.2;
    private const double LimitingToleranceLu = 0.25;

    // Writing passes at most: the first, and corrective ones (target correction or the --max-limiting back-off).
    private const int DefaultMaxWritePasses = 5;

    // Test seam: the writing-pass cap for the calling flow only.
    private static readonly AsyncLocal<int?> s_maxWritePasses = new();
    private const double CeilingToleranceDb = 0.1;

    // Fault injection for tests: wraps the output file stream (e.g. to fail like a full disk). Flows with the caller only.
    private static readonly AsyncLocal<Func<FileStream, Stream>?> s_outputStreamWrapper = new();

    // Test seam: the largest source kept in memory (bytes); larger files are streamed from the file on every pass.
    private static readonly AsyncLocal<long?> s_maxBufferedBytes = new();

    /// <summary>
    /// Largest render kept in memory (what reaches the loudness gain, float, every channel): 256 MiB, about 11½ minutes of
    /// 48 kHz stereo. A longer source is read, decoded and filtered again on every pass (the streaming path; same output).
    /// </summary>
    public const long DefaultMaxBufferedBytes = 256L << 20;

    /// <summary>Test seam: overrides <see cref="DefaultMaxBufferedBytes"/> for the calling flow only (0 = always stream).</summary>
    internal static long MaxBufferedBytes
    {
        get => s_maxBufferedBytes.Value ?? DefaultMaxBufferedBytes;
        set => s_maxBufferedBytes.Value = value;
    }

    /// <summary>Test seam: most writing passes of a render (default 5: the first and up to four corrective ones), for the calling flow only.</summary>
    internal static int MaxWritePasses
    {
        get => s_maxWritePasses.Value ?? DefaultMaxWritePasses;
        set => s_maxWritePasses.Value = value;
    }

    /// <summary>Test seam: wraps the stream the output is written through (null = none), for the calling flow only.</summary>
    internal static Func<FileStream, Stream>? OutputStreamWrapper
    {
        get => s_outputStreamWrapper.Value;
        set => s_outputStreamWrapper.Value = value;
    }

    /// <summary>
    /// Checks the paths of a render before any work: the input must be a seekable file (a pipe or FIFO cannot be read
    /// twice), the output must not be the input (same device and inode: links and hard links count), nor a folder, a
    /// FIFO or anything else that is not a regular file or a character device, and its folder must exist.
    /// </summary>
    /// <param name="inputPath">IN.</param>
    /// <param name="outputPath">OUT.</param>
    /// <param name="mode">How the output will be written.</param>
    /// <returns>A one-line problem naming the path, or <c>null</c>.</returns>
    public static string? CheckPaths(string inputPath, string outputPath, out OutputMode mode) =>
        FindPathProblem(inputPath, outputPath, out mode) is { } problem ? $"{problem.Path}: {problem.Why}" : null;

    // The path at fault and why (CheckPaths' one line is "PATH: why"; Render throws it as an AudioFileException).
    private static (string Path, string Why)? FindPathProblem(string inputPath, string outputPath, out OutputMode mode)
    {
        mode = OutputMode.Atomic;
        if (string.IsNullOrWhiteSpace(inputPath))
        {
            return ("IN", "the path is empty");
        }

        if (string.IsNullOrWhiteSpace(outputPath))
        {
            return ("OUT", "the path is empty");
        }

        if (FileIdentity.Of(inputPath).Kind is FileKind.Fifo or FileKind.CharacterDevice or FileKind.Other)
        {
            return (inputPath, "needs a seekable file (a pipe/FIFO cannot be read twice)");
        }

        return AudioContainers.CheckOutput(outputPath, out mode, inputPath) is string problem ? (outputPath, problem) : null;
    }

    /// <summary>Renders <paramref name="request"/>; reports progress 0…1 per pass.</summary>
    /// <exception cref="AudioFileException">The input cannot be read or the output cannot be written (the message names the output, never the temporary file).</exception>
    public static RenderResult Render(RenderRequest request, Action<int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = StageAwareTrace.Wrap(request);
        if (FindPathProblem(request.InputPath, request.OutputPath, out OutputMode mode) is { } pathProblem)
        {
            throw new AudioFileException(pathProblem.Path, pathProblem.Why);
        }

        var warnings = new List<string>();
        (AudioFileFormat inputFormat, double programme, PassResult analysis, int passes, BufferedRender? buffered) = RunAnalysis(request, progress, preLimiterTruePeak: false);
        int lastPass = passes + MaxWritePasses;
        LoudnessReport input = analysis.InputReport!.Value;
        double gain = request.Values[ParameterIds.LoudnessGain];
        ParameterDefinition gainRange = request.Values.Registry[ParameterIds.LoudnessGain];
        if (request.TargetLufs is double target)
        {
            if (analysis.Output.IntegratedLufs is double preLimiter)
            {
                gain = gainRange.Clamp(target - preLimiter);
                if (gain != target - preLimiter)
                {
                    warnings.Add($"reaching {target:0.0} LUFS needs {target - preLimiter:+0.0;-0.0} dB of loudness gain; limited to {gain:+0.0;-0.0} dB");
                }
            }
            else
            {
                warnings.Add($"the input has no gated loudness ({MeasurementNotes.IntegratedStatus(analysis.Output)}); loudness targeting skipped");
                gain = 0;
            }
        }

        string temporary = request.OutputPath;
        try
        {
            PassResult final;
            LimitingBackOff? backOff = null;
            AudioContainer container = AudioContainers.ForOutput(request.OutputPath, mode);
            while (true)
            {
                passes++;
                final = WritePass(request, inputFormat, gain, programme, container, mode, buffered, ref temporary, p => progress?.Invoke(passes, p));
                if (request.TargetLufs is not double goal || final.Output.IntegratedLufs is not double achieved || analysis.Output.IntegratedLufs is not double pre || passes >= lastPass)
                {
                    break;
                }

                double limiting = pre + gain - achieved;
                if (backOff is null && limiting > request.MaxLimitingLu + LimitingToleranceLu)
                {
                    backOff = new LimitingBackOff(request.MaxLimitingLu, LimitingToleranceLu, gain, limiting, goal);
                    gain = gainRange.Clamp(backOff.Next(gain, limiting));
                    continue;
                }

                if (backOff is not null)
                {
                    // Converge on the largest gain whose limiting is within --max-limiting (the limiting does not fall dB
                    // for dB with the gain, so one step is not enough; see LimitingBackOff).
                    if (backOff.IsDone(limiting))
                    {
                        break;
                    }

                    double next = gainRange.Clamp(backOff.Next(gain, limiting));
                    if (next == gain)
                    {
                        break;
                    }

                    gain = next;
                    continue;
                }

                if (Math.Abs(achieved - goal) <= ToleranceLu)
                {
                    break;
                }

                double corrected = gainRange.Clamp(gain + (goal - achieved));
                if (corrected == gain)
                {
                    break;
                }

                gain = corrected;
            }

            if (backOff is not null)
            {
                gain = final.LoudnessGainDb; // the gain of the pass that was written (the loop may have stopped at its cap)
                warnings.Add($"reaching {backOff.Goal:0.0} LUFS would make the limiter take away {backOff.FirstLimitingLu:0.0} LU (more than the {request.MaxLimitingLu:0.0} LU allowed by --max-limiting); backing off by {backOff.FirstGainDb - gain:0.0} dB");
            }

            AddReportWarnings(request, analysis, final, gain, passes, warnings);

            double ceiling = request.Values[ParameterIds.LimiterCeiling];
            bool bypassed = request.Values.IsOn(ParameterIds.LimiterBypass);
            if (bypassed || final.Output.TruePeakDbtp > ceiling + CeilingToleranceDb)
            {
                warnings.Add($"the {ceiling:0.0} dBTP ceiling is not held{(bypassed ? " (limiter.bypass is on)" : string.Empty)}: the max true peak of the master is {final.Output.TruePeakDbtp:0.0} dBTP");
            }

            if (final.NonFiniteSamples > 0)
            {
                warnings.Add($"{final.NonFiniteSamples} NaN/Inf input samples were replaced by silence");
            }

            try
            {
                OutputFile.Commit(temporary, request.OutputPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new AudioFileException(request.OutputPath, "cannot replace: " + OutputFile.Describe(ex, temporary, request.OutputPath), ex);
            }

            AudioFileFormat outputFormat = inputFormat with
            {
                Container = container,
                Encoding = request.Encoding,
            };
            GainReductionStats? compressorStats = request.Values.IsOn(ParameterIds.CompBypass) ? null : final.Compressor;
            GainReductionStats? limiterStats = request.Values.IsOn(ParameterIds.LimiterBypass) ? null : final.Limiter;
            return new RenderResult(input, final.Output, outputFormat, gain, passes, compressorStats, limiterStats, final.LatencyFrames, warnings, analysis.InputHealth!.Value, final.OutputHealth);
        }
        catch (AudioFileException ex) when (!string.Equals(temporary, request.OutputPath, StringComparison.Ordinal))
        {
            OutputFile.Discard(temporary, request.OutputPath);
            if (ex.Message.Contains(temporary, StringComparison.Ordinal))
            {
                throw new AudioFileException(request.OutputPath, ex.Problem.Replace(temporary, request.OutputPath, StringComparison.Ordinal), ex);
            }

            throw;
        }
        catch
        {
            OutputFile.Discard(temporary, request.OutputPath);
            throw;
        }
    }

    /// <summary>
    /// Runs only the analysis of a render (no output is written): the source's loudness, the loudness that reaches the
    /// loudness-gain stage with the loudness gain at 0 dB, and the programme loudness the glue compressor is set for.
    /// Album mastering uses it to find one gain for every track.
    /// </summary>
    /// <param name="request">The render it would be (<see cref="RenderRequest.OutputPath"/> is not used).</param>
    /// <param name="progress">Progress 0…1 per pass.</param>
    /// <exception cref="AudioFileException">The input cannot be read.</exception>
    public static RenderAnalysis Analyze(RenderRequest request, Action<int, double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = StageAwareTrace.Wrap(request);
        (AudioFileFormat format, double programme, PassResult analysis, int passes, _) = RunAnalysis(request, progress, preLimiterTruePeak: true);
        return new RenderAnalysis(format, analysis.InputReport!.Value, analysis.Output, programme, analysis.InputHealth!.Value, passes);
    }

    // Probe, programme-loudness pass (when the compressor runs) and the analysis pass up to the loudness gain.
    // A source that fits in memory (MaxBufferedBytes) is read once and kept (BufferedRender); a longer one is streamed.
    // The programme and pre-limiter loudness are measured without true-peak detection (a render uses only the loudness;
    // preLimiterTruePeak: the full report for Analyze).
    private static (AudioFileFormat Format, double Programme, PassResult Analysis, int Passes, BufferedRender? Buffered) RunAnalysis(RenderRequest request, Action<int, double>? progress, bool preLimiterTruePeak)
    {
        AudioFileFormat inputFormat;
        using (AudioFileReader probe = AudioFileReader.Open(request.InputPath))
        {
            inputFormat = probe.Format; // a seekable file: the length is known (and clamped to what the file holds)
        }

        if (inputFormat.Channels is 1 or 2 && BufferedRender.BytesFor(inputFormat) <= MaxBufferedBytes)
        {
            bool measure = !request.Values.IsOn(ParameterIds.CompBypass) && request.Values[ParameterIds.CompRatio] > 1 && request.ProgrammeLufs is null;
            double known = measure ? double.NaN : GivenProgramme(request);
            var (buffer, programmeLufs, inputReport, preLimiter, inputHealth, count) = BufferedRender.Analyze(request, inputFormat, measure, known, preLimiterTruePeak, progress);
            var result = new PassResult(inputReport, preLimiter, buffer.Compressor, default, 0, buffer.NonFiniteSamples) { InputHealth = inputHealth };
            return (inputFormat, programmeLufs, result, count, buffer);
        }

        int passes = 1;
        double programme = MeasureProgramme(request, inputFormat, ref passes, progress);
        request.Trace?.Begin(inputFormat.SampleRateHz, inputFormat.Channels);
        PassResult analysis = RunPass(request, inputFormat, gainDb: 0, limiterAndDither: false, writer: null, p => progress?.Invoke(passes, p), programme, outputTruePeak: preLimiterTruePeak);
        return (inputFormat, programme, analysis, passes, null);
    }

    // The programme loudness when it is not measured: NaN when the compressor does not run, else the request's (clamped).
    private static double GivenProgramme(RenderRequest request) =>
        request.Values.IsOn(ParameterIds.CompBypass) || request.Values[ParameterIds.CompRatio] <= 1 || request.ProgrammeLufs is not double given
            ? double.NaN
            : Math.Clamp(given, Dsp.Processors.GlueCompressor.MinProgrammeLoudnessLufs, Dsp.Processors.GlueCompressor.MaxProgrammeLoudnessLufs);

    // The report's warnings about the final pass: target missed (beyond the 0.2 LU tolerance, with the achieved value),
    // the limiter over --max-limiting on the final pass, the master clipping, heavy limiting, a PLR drop, the
    // platforms turning it down, and what the input pass saw (prefixed "input: ").
    private static void AddReportWarnings(RenderRequest request, PassResult analysis, PassResult final, double gain, int passes, List<string> warnings)
    {
        if (request.TargetLufs is double wanted && final.Output.IntegratedLufs is double got)
        {
            if (Math.Abs(got - wanted) > ToleranceLu)
            {
                warnings.Add(FormattableString.Invariant($"target {wanted:0.0} LUFS not reached: the master is {got:0.00} LUFS ({got - wanted:+0.00;-0.00} LU) after {passes} passes"));
            }

            double limiting = analysis.Output.IntegratedLufs is double pre ? pre + gain - got : 0;
            if (limiting > request.MaxLimitingLu + LimitingToleranceLu)
            {
                warnings.Add(FormattableString.Invariant($"the limiter took away {limiting:0.0} LU on the final pass (more than the {request.MaxLimitingLu:0.0} LU allowed by --max-limiting); the master is {got:0.00} LUFS"));
            }
        }

        double? limiterPeak = request.Values.IsOn(ParameterIds.LimiterBypass) ? null : final.Limiter.MaxDb;
        LoudnessReport input = analysis.InputReport!.Value;
        warnings.AddRange(SignalWarnings.ForRender(input, final.Output, final.OutputHealth, limiterPeak));
        if (Normalization.TurnedDownWarning(final.Output) is { } turnedDown)
        {
            warnings.Add(turnedDown);
        }

        foreach (string warning in SignalWarnings.ForInput(input, analysis.InputHealth!.Value))
        {
            warnings.Add("input: " + warning);
        }
    }

    /// <summary>The temporary file a render writes before renaming: hidden, beside the output, same extension.</summary>
    public static string TemporaryPathFor(string outputPath) => OutputFile.TemporaryPathFor(outputPath);

    // One rendering pass into the temporary file (or the device): opened, written, completed and flushed to the disk.
    private static PassResult WritePass(RenderRequest request, AudioFileFormat format, double gain, double programme, AudioContainer container, OutputMode mode, BufferedRender? buffered, ref string temporary, Action<double> progress)
    {
        FileStream file;
        try
        {
            file = OutputFile.Open(request.OutputPath, mode, out temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AudioFileException(request.OutputPath, "cannot create: " + OutputFile.Describe(ex, temporary, request.OutputPath), ex);
        }

        Stream stream = OutputStreamWrapper?.Invoke(file) ?? file;
        try
        {
            PassResult result;
            using (AudioFileWriter writer = AudioFileWriter.Create(stream, request.OutputPath, container, request.Encoding, format.SampleRateHz, format.Channels, leaveOpen: true))
            {
                if (buffered is not null)
                {
                    (LoudnessReport output, GainReductionStats limiter, SignalHealthReport health) = buffered.Write(request, format, gain, programme, writer, progress);
                    result = new PassResult(null, output, buffered.Compressor, limiter, buffered.Latency, buffered.NonFiniteSamples) { OutputHealth = health, LoudnessGainDb = gain };
                }
                else
                {
                    result = RunPass(request, format, gain, limiterAndDither: true, writer, progress, programme) with { LoudnessGainDb = gain };
                }

                writer.Complete();
            }

            stream.Flush();
            OutputFile.FlushToDisk(file);
            return result;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AudioFileException(request.OutputPath, "write error: " + OutputFile.Describe(ex, temporary, request.OutputPath), ex);
        }
        finally
        {
            if (!ReferenceEquals(stream, file))
            {
                stream.Dispose();
            }

            file.Dispose();
        }
    }

    // Level-independent glue: when the compressor runs, a first pass measures the integrated loudness that reaches it
    // (trim, high-pass and EQ applied: ProcessUntil(Compressor)); every later pass tells the chain
    // (MasteringChain.SetProgrammeLoudness), so the analysis and the final passes compress alike. NaN: not measured
    // (compressor bypassed or at 1:1, or no gated loudness), the reference is used.
    private static double MeasureProgramme(RenderRequest request, AudioFileFormat format, ref int passes, Action<int, double>? progress)
    {
        if (request.Values.IsOn(ParameterIds.CompBypass) || request.Values[ParameterIds.CompRatio] <= 1)
        {
            return double.NaN;
        }

        if (request.ProgrammeLufs is double given)
        {
            return Math.Clamp(given, Dsp.Processors.GlueCompressor.MinProgrammeLoudnessLufs, Dsp.Processors.GlueCompressor.MaxProgrammeLoudnessLufs);
        }

        int pass = passes++;
        PassResult measured = RunPass(request, format, gainDb: 0, limiterAndDither: false, writer: null, p => progress?.Invoke(pass, p), double.NaN, outputTruePeak: false, ChainStage.Compressor);
        return measured.Output.IntegratedLufs is double lufs
            ? Math.Clamp(lufs, Dsp.Processors.GlueCompressor.MinProgrammeLoudnessLufs, Dsp.Processors.GlueCompressor.MaxProgrammeLoudnessLufs)
            : double.NaN;
    }

    private static PassResult RunPass(RenderRequest request, AudioFileFormat format, double gainDb, bool limiterAndDither, AudioFileWriter? writer, Action<double> progress, double programmeLufs, bool outputTruePeak = true, ChainStage analysisStop = ChainStage.LoudnessGain)
    {
        int block = request.BlockFrames;
        int channels = format.Channels;
        MasteringChain chain = CreateChain(request, format, gainDb, limiterAndDither ? DitherBits(request.Encoding) : 0, programmeLufs);

        // The analysis pass runs only the stages before the loudness gain (MasteringChain.ProcessUntil):
        // what it measures is exactly what reaches the loudness-gain stage, and without the limiter's
        // look-ahead there is no latency to compensate.
        ChainStage? stopBefore = limiterAndDither ? null : analysisStop;
        int latency = limiterAndDither ? chain.LatencyFrames : 0;
        ProgramMeter? inputMeter = limiterAndDither ? null : new ProgramMeter(format.SampleRateHz, channels);
        SignalHealth? inputHealth = limiterAndDither ? null : new SignalHealth(channels, format.SampleRateHz);
        var outputHealth = new SignalHealth(channels);
        var outputMeter = new ProgramMeter(format.SampleRateHz, channels, outputTruePeak);
        var compressor = new GainReductionAccumulator();
        var limiter = new GainReductionAccumulator();

        // Two-stage pipeline on two cores: while the chain processes chunk k on one thread, the other
        // thread meters and writes chunk k-1 and reads (and input-meters) chunk k+1. Three chunk buffers
        // rotate through those roles. The chain itself still runs in blocks of `block` frames, in order,
        // on one thread at a time, so the output is the same as a serial render.
        int chunkFrames = Math.Max(block, (16384 / block) * block);
        var chunks = new Chunk[3];
        for (int i = 0; i < chunks.Length; i++)
        {
            chunks[i] = new Chunk(chunkFrames, channels);
        }

        using AudioFileReader reader = AudioFileReader.Open(request.InputPath);
        long total = format.LengthFrames;
        var state = new EmitState { ToSkip = latency, RemainingOut = total, Tail = latency };
        IRenderTrace? trace = writer is null && analysisStop != ChainStage.LoudnessGain ? null : request.Trace;
        if (writer is not null)
        {
            trace?.BeginWritePass();
        }

        Fill(chunks[0], reader, inputMeter, inputHealth, state, trace);
        int k = 0;
        while (chunks[k % 3].Frames > 0)
        {
            Chunk current = chunks[k % 3];
            Chunk next = chunks[(k + 1) % 3];
            Chunk previous = chunks[(k + 2) % 3];
            try
            {
                Parallel.Invoke(
                    () => ProcessChunk(current, chain, stopBefore, block, channels, compressor, limiter, state, writer is null ? null : trace),
                    () =>
                    {
                        Emit(previous, outputMeter, outputHealth, writer, channels, writer is null ? null : trace);
                        Fill(next, reader, inputMeter, inputHealth, state, trace);
                    });
            }
            catch (AggregateException ex)
            {
                // A write error (disk full) or a read error on the pipeline thread: rethrow the error itself, not the wrapper.
                ReadOnlyCollection<Exception> inner = ex.Flatten().InnerExceptions;
                ExceptionDispatchInfo.Capture(inner.FirstOrDefault(e => e is AudioFileException) ?? inner[0]).Throw();
                throw;
            }

            progress(total > 0 ? Math.Min(1.0, (double)(total - state.RemainingOut) / total) : 1.0);
            k++;
        }

        Emit(chunks[(k + 2) % 3], outputMeter, outputHealth, writer, channels, writer is null ? null : trace);
        progress(1.0);
        return new PassResult(inputMeter?.GetReport(), outputMeter.GetReport(), compressor.Stats, limiter.Stats, latency, chain.NonFiniteSampleCount)
        {
            InputHealth = inputHealth?.GetReport(),
            OutputHealth = outputHealth.GetReport(),
        };
    }

    /// <summary>The chain of a pass: the request's parameters, that loudness gain, dither word and programme loudness, prepared.</summary>
    internal static MasteringChain CreateChain(RenderRequest request, AudioFileFormat format, double gainDb, int ditherBits, double programmeLufs)
    {
        var chain = new MasteringChain { IdleBypassedStages = true };
        ChainBinder.ApplyAll(request.Values, chain, ditherBits);
        chain.SetLoudnessGainDb(gainDb);
        chain.SetProgrammeLoudness(programmeLufs);
        chain.Prepare(new ProcessSpec(format.SampleRateHz, request.BlockFrames, format.Channels));
        return chain;
    }

    /// <summary>The dither word for an output encoding (0 = none: float).</summary>
    internal static int DitherBits(SampleEncoding encoding) => encoding switch { SampleEncoding.Pcm16 => 16, SampleEncoding.Pcm24 => 24, _ => 0 };

    // Reads the next chunk (or the zero tail that flushes the latency) into `chunk`. Reader thread.
    private static void Fill(Chunk chunk, AudioFileReader reader, ProgramMeter? inputMeter, SignalHealth? inputHealth, EmitState state, IRenderTrace? trace)
    {
        int frames = 0;
        while (frames < chunk.Left.Length)
        {
            int n = reader.ReadPlanar(chunk.Left.AsSpan(frames), chunk.Right.Length > 0 ? chunk.Right.AsSpan(frames) : Span<float>.Empty);
            if (n == 0)
            {
                break;
            }

            frames += n;
        }

        if (frames > 0)
        {
            inputMeter?.Process(chunk.Left.AsSpan(0, frames), chunk.Right.Length > 0 ? chunk.Right.AsSpan(0, frames) : Span<float>.Empty);
            inputHealth?.Process(chunk.Left.AsSpan(0, frames), chunk.Right.Length > 0 ? chunk.Right.AsSpan(0, frames) : Span<float>.Empty);
            if (inputMeter is not null)
            {
                trace?.Input(chunk.Left.AsSpan(0, frames), chunk.Right.Length > 0 ? chunk.Right.AsSpan(0, frames) : Span<float>.Empty);
            }
        }
        else if (state.Tail > 0)
        {
            frames = (int)Math.Min(chunk.Left.Length, state.Tail);
            chunk.Left.AsSpan(0, frames).Clear();
            chunk.Right.AsSpan(0, Math.Min(frames, chunk.Right.Length)).Clear();
            state.Tail -= frames;
        }

        chunk.Frames = frames;
        chunk.EmitCount = 0;
    }

    // Runs the chain over the chunk in blocks and decides which frames are output (latency skip). Chain thread.
    private static void ProcessChunk(Chunk chunk, MasteringChain chain, ChainStage? stopBefore, int block, int channels, GainReductionAccumulator compressor, GainReductionAccumulator limiter, EmitState state, IRenderTrace? trace)
    {
        for (int start = 0; start < chunk.Frames; start += block)
        {
            int frames = Math.Min(block, chunk.Frames - start);
            Span<float> l = chunk.Left.AsSpan(start, frames);
            AudioBlock audio = channels == 2 ? new AudioBlock(l, chunk.Right.AsSpan(start, frames)) : new AudioBlock(l);
            if (stopBefore is ChainStage stage)
            {
                chain.ProcessUntil(stage, audio);
            }
            else
            {
                chain.Process(audio);
            }

            Dsp.Processors.GainReductionReading compressorReading = chain.ReadCompressorGainReduction();
            Dsp.Processors.GainReductionReading limiterReading = chain.ReadLimiterGainReduction();
            compressor.Add(compressorReading, frames);
            limiter.Add(limiterReading, frames);
            trace?.GainReduction(Math.Abs(compressorReading.CurrentDb), Math.Abs(limiterReading.MaxSinceLastReadDb), frames);
        }

        int skip = (int)Math.Min(state.ToSkip, chunk.Frames);
        state.ToSkip -= skip;
        int emit = (int)Math.Min(chunk.Frames - skip, state.RemainingOut);
        chunk.EmitStart = skip;
        chunk.EmitCount = Math.Max(0, emit);
        state.RemainingOut -= chunk.EmitCount;
    }

    // Meters and writes the output frames of a processed chunk. Writer thread.
    private static void Emit(Chunk chunk, ProgramMeter outputMeter, SignalHealth outputHealth, AudioFileWriter? writer, int channels, IRenderTrace? trace)
    {
        if (chunk.EmitCount <= 0)
        {
            return;
        }

        Span<float> l = chunk.Left.AsSpan(chunk.EmitStart, chunk.EmitCount);
        Span<float> r = channels == 2 ? chunk.Right.AsSpan(chunk.EmitStart, chunk.EmitCount) : Span<float>.Empty;
        outputMeter.Process(l, r);
        outputHealth.Process(l, r);
        writer?.WritePlanar(l, r);
        trace?.Output(l, r);
        chunk.EmitCount = 0;
    }

    private sealed class Chunk(int frames, int channels)
    {
        public float[] Left { get; } = new float[frames];

        public float[] Right { get; } = new float[channels == 2 ? frames : 0];

        public int Frames { get; set; }

        public int EmitStart { get; set; }

        public int EmitCount { get; set; }
    }

    // Counters shared by the two pipeline threads; each field is written by one thread only
    // (Tail by the reader, ToSkip/RemainingOut by the chain thread) and read after Parallel.Invoke's barrier.
    private sealed class EmitState
    {
        public long ToSkip { get; set; }

        public long RemainingOut { get; set; }

        public long Tail { get; set; }
    }

    private sealed record PassResult(LoudnessReport? InputReport, LoudnessReport Output, GainReductionStats Compressor, GainReductionStats Limiter, int LatencyFrames, long NonFiniteSamples)
    {
        // Per-sample statistics (report): of the source (analysis pass only) and of what the pass emitted.
        public SignalHealthReport? InputHealth { get; init; }

        public SignalHealthReport OutputHealth { get; init; }

        // Loudness gain of a writing pass.
        public double LoudnessGainDb { get; init; }
    }

    /// <summary>Time statistics of gain-reduction readings (one per chain block).</summary>
    internal sealed class GainReductionAccumulator
    {
        private double _max;
        private double _weighted;
        private long _active;
        private long _frames;

        /// <summary>The statistics so far.</summary>
        public GainReductionStats Stats => _frames == 0 ? default : new GainReductionStats(_max, _weighted / _frames, 100.0 * _active / _frames);

        /// <summary>Adds the reading after a block of <paramref name="frames"/> frames.</summary>
        public void Add(Dsp.Processors.GainReductionReading reading, int frames)
        {
            double current = Math.Abs(reading.CurrentDb);
            _max = Math.Max(_max, Math.Abs(reading.MaxSinceLastReadDb));
            _weighted += current * frames;
            _frames += frames;
            if (current > 0.1)
            {
                _active += frames;
            }
        }
    }
}
