using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Rendering;

/// <summary>What to render and how.</summary>
/// <param name="InputPath">Source file.</param>
/// <param name="OutputPath">Destination file (written to a temporary file beside it and renamed on success).</param>
/// <param name="Values">Chain parameters; <c>target.lufs</c> is the loudness target (null target = keep <c>loudness.gain</c>).</param>
/// <param name="TargetLufs">Integrated loudness to reach, or null to use <c>loudness.gain</c> as set.</param>
/// <param name="Encoding">Output word: Pcm16 / Pcm24 (dithered when <c>dither.enabled</c>) or Float32.</param>
/// <param name="BlockFrames">Block size the chain runs at (the output does not depend on it).</param>
/// <param name="MaxLimitingLu">Most loudness the limiter may take away before the render backs off and warns.</param>
public sealed record RenderRequest(
    string InputPath,
    string OutputPath,
    ParameterSet Values,
    double? TargetLufs,
    SampleEncoding Encoding = SampleEncoding.Pcm24,
    int BlockFrames = 512,
    double MaxLimitingLu = 3.0);

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
/// <param name="Passes">Passes over the file, analysis included.</param>
/// <param name="Compressor">Compressor gain reduction.</param>
/// <param name="Limiter">Limiter gain reduction.</param>
/// <param name="LatencyFrames">Chain latency that was compensated.</param>
/// <param name="Warnings">Things the user should know (target not reached, silent input, non-finite samples).</param>
public sealed record RenderResult(
    LoudnessReport Input,
    LoudnessReport Output,
    AudioFileFormat Format,
    double LoudnessGainDb,
    int Passes,
    GainReductionStats Compressor,
    GainReductionStats Limiter,
    int LatencyFrames,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Offline mastering: the same <see cref="MasteringChain"/> the box runs, fed from a file in fixed blocks
/// as fast as the CPU allows, with two-pass loudness targeting and latency compensation.
/// </summary>
/// <remarks>
/// Pass 1 runs the chain with the limiter bypassed and the loudness gain at 0 dB and measures the
/// integrated loudness that reaches the limiter. The loudness gain is then target − that loudness, and
/// pass 2 renders. Limiting takes some loudness away, so when pass 2 misses the target by more than
/// 0.2 LU a corrective pass follows (at most two). When reaching the target would make the limiter take
/// away more than <see cref="RenderRequest.MaxLimitingLu"/>, the gain is backed off and a warning says by
/// how much and what was achieved, instead of crushing the master silently.
/// </remarks>
public static class OfflineRenderer
{
    private const double ToleranceLu = 0.2;

    /// <summary>Renders <paramref name="request"/>; reports progress 0…1 per pass.</summary>
    /// <exception cref="AudioFileException">The input cannot be read or the output cannot be written.</exception>
    public static RenderResult Render(RenderRequest request, Action<int, double>? progress = null)
    {
        var warnings = new List<string>();
        AudioFileFormat inputFormat;
        using (AudioFileReader probe = AudioFileReader.Open(request.InputPath))
        {
            inputFormat = probe.Format;
        }

        int passes = 1;
        PassResult analysis = RunPass(request, inputFormat, gainDb: 0, limiterAndDither: false, writer: null, p => progress?.Invoke(1, p));
        LoudnessReport input = analysis.InputReport!.Value;
        double gain = request.Values["loudness.gain"];
        ParameterDefinition gainRange = request.Values.Registry["loudness.gain"];
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
                warnings.Add("the input is silent (no gated loudness); loudness targeting skipped");
                gain = 0;
            }
        }

        string temporary = TemporaryPathFor(request.OutputPath);
        try
        {
            PassResult final;
            bool backedOff = false;
            while (true)
            {
                passes++;
                using (AudioFileWriter writer = AudioFileWriter.Create(temporary, AudioContainers.FromExtension(request.OutputPath), request.Encoding, inputFormat.SampleRateHz, inputFormat.Channels))
                {
                    final = RunPass(request, inputFormat, gain, limiterAndDither: true, writer, p => progress?.Invoke(passes, p));
                    writer.Complete();
                }

                if (request.TargetLufs is not double goal || final.Output.IntegratedLufs is not double achieved || analysis.Output.IntegratedLufs is not double pre || passes >= 4)
                {
                    break;
                }

                double limiting = pre + gain - achieved;
                if (!backedOff && limiting > request.MaxLimitingLu + 0.25)
                {
                    backedOff = true;
                    double backedGain = gainRange.Clamp(gain - (limiting - request.MaxLimitingLu));
                    warnings.Add($"reaching {goal:0.0} LUFS would make the limiter take away {limiting:0.0} LU (more than the {request.MaxLimitingLu:0.0} LU allowed by --max-limiting); backing off by {gain - backedGain:0.0} dB");
                    gain = backedGain;
                    continue;
                }

                if (backedOff || Math.Abs(achieved - goal) <= ToleranceLu)
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

            if (request.TargetLufs is double wanted && final.Output.IntegratedLufs is double got && Math.Abs(got - wanted) > 0.5)
            {
                warnings.Add($"target {wanted:0.0} LUFS not reached: the master is {got:0.0} LUFS ({got - wanted:+0.0;-0.0} LU)");
            }

            if (final.NonFiniteSamples > 0)
            {
                warnings.Add($"{final.NonFiniteSamples} NaN/Inf input samples were replaced by silence");
            }

            File.Move(temporary, request.OutputPath, overwrite: true);
            AudioFileFormat outputFormat = inputFormat with
            {
                Container = AudioContainers.FromExtension(request.OutputPath),
                Encoding = request.Encoding,
            };
            return new RenderResult(input, final.Output, outputFormat, gain, passes, final.Compressor, final.Limiter, final.LatencyFrames, warnings);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
                // The temporary file is beside the output and named as such; leaving it is harmless.
            }

            throw;
        }
    }

    /// <summary>The temporary file a render writes before renaming: hidden, beside the output, same extension.</summary>
    public static string TemporaryPathFor(string outputPath)
    {
        string full = Path.GetFullPath(outputPath);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileNameWithoutExtension(full)}.part{Environment.ProcessId}{Path.GetExtension(full)}");
    }

    private static PassResult RunPass(RenderRequest request, AudioFileFormat format, double gainDb, bool limiterAndDither, AudioFileWriter? writer, Action<double> progress)
    {
        int block = request.BlockFrames;
        int channels = format.Channels;
        var chain = new MasteringChain();
        int ditherBits = request.Encoding switch { SampleEncoding.Pcm16 => 16, SampleEncoding.Pcm24 => 24, _ => 0 };
        ChainBinder.ApplyAll(request.Values, chain, limiterAndDither ? ditherBits : 0);
        chain.SetLoudnessGainDb(gainDb);
        if (!limiterAndDither)
        {
            chain.SetBypass(ChainStage.Limiter, true);
        }

        chain.Prepare(new ProcessSpec(format.SampleRateHz, block, channels));
        int latency = chain.LatencyFrames;
        ProgramMeter? inputMeter = limiterAndDither ? null : new ProgramMeter(format.SampleRateHz, channels);
        var outputMeter = new ProgramMeter(format.SampleRateHz, channels);
        var left = new float[block];
        var right = new float[channels == 2 ? block : 0];
        var compressor = new GainReductionAccumulator();
        var limiter = new GainReductionAccumulator();

        using AudioFileReader reader = AudioFileReader.Open(request.InputPath);
        long total = format.LengthFrames;
        long toSkip = latency; // output frames that precede the input's first frame
        long remainingOut = total;
        long tail = latency; // zero frames to feed after the input ends so the last input frames come out
        long processed = 0;
        int lastPercent = -1;
        while (remainingOut > 0)
        {
            int frames = reader.ReadPlanar(left, right);
            if (frames == 0)
            {
                if (tail <= 0)
                {
                    break; // the file was shorter than its header said; everything has been flushed
                }

                frames = (int)Math.Min(block, tail);
                left.AsSpan(0, frames).Clear();
                right.AsSpan(0, Math.Min(frames, right.Length)).Clear();
                tail -= frames;
            }
            else
            {
                inputMeter?.Process(left.AsSpan(0, frames), channels == 2 ? right.AsSpan(0, frames) : Span<float>.Empty);
            }

            Span<float> l = left.AsSpan(0, frames);
            Span<float> r = channels == 2 ? right.AsSpan(0, frames) : Span<float>.Empty;
            chain.Process(channels == 2 ? new AudioBlock(l, r) : new AudioBlock(l));
            compressor.Add(chain.ReadCompressorGainReduction(), frames);
            limiter.Add(chain.ReadLimiterGainReduction(), frames);

            int skip = (int)Math.Min(toSkip, frames);
            toSkip -= skip;
            int emit = (int)Math.Min(frames - skip, remainingOut);
            if (emit > 0)
            {
                Span<float> outL = l.Slice(skip, emit);
                Span<float> outR = channels == 2 ? r.Slice(skip, emit) : Span<float>.Empty;
                outputMeter.Process(outL, outR);
                writer?.WritePlanar(outL, outR);
                remainingOut -= emit;
            }

            processed += frames;
            int percent = total > 0 ? (int)(100 * (total - remainingOut) / total) : 100;
            if (percent != lastPercent)
            {
                lastPercent = percent;
                progress(percent / 100.0);
            }
        }

        return new PassResult(inputMeter?.GetReport(), outputMeter.GetReport(), compressor.Stats, limiter.Stats, latency, chain.NonFiniteSampleCount);
    }

    private sealed record PassResult(LoudnessReport? InputReport, LoudnessReport Output, GainReductionStats Compressor, GainReductionStats Limiter, int LatencyFrames, long NonFiniteSamples);

    private sealed class GainReductionAccumulator
    {
        private double _max;
        private double _weighted;
        private long _active;
        private long _frames;

        public GainReductionStats Stats => _frames == 0 ? default : new GainReductionStats(_max, _weighted / _frames, 100.0 * _active / _frames);

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
