using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Rendering;

/// <summary>
/// The in-memory render path of <see cref="OfflineRenderer"/>: the source is read and decoded once; what reaches the
/// compressor (trim, high-pass and EQ applied) is kept in memory, the compressor and width run once on it (after the
/// programme loudness is known) and what reaches the loudness gain is kept; every writing pass then runs only the loudness
/// gain, the limiter and the dither on that audio (<see cref="MasteringChain.ProcessStages"/>). The stages are causal
/// stream processors whose output does not depend on the block size, so running them stage group by stage group over the
/// same blocks gives exactly the samples of running the whole chain block by block (the streaming path): the limiter's
/// latency tail (the filters' response to the flushing zeros) is computed and kept too.
/// </summary>
internal sealed class BufferedRender
{
    private readonly float[][] _audio;
    private readonly double[]? _compressorTrace;

    private BufferedRender(float[][] audio, long frames, int latency, double[]? compressorTrace)
    {
        _audio = audio;
        Frames = frames;
        Latency = latency;
        _compressorTrace = compressorTrace;
    }

    /// <summary>Frames of the source that were read (the master has as many).</summary>
    public long Frames { get; }

    /// <summary>Chain latency (limiter look-ahead) kept as a tail after the source.</summary>
    public int Latency { get; }

    /// <summary>Compressor gain reduction over the render (file and tail blocks, as the streaming write pass reads it).</summary>
    public GainReductionStats Compressor { get; private set; }

    /// <summary>NaN/Inf samples of the source replaced by silence.</summary>
    public long NonFiniteSamples { get; private set; }

    /// <summary>Bytes a render of <paramref name="format"/> keeps in memory (what reaches the loudness gain, tail included).</summary>
    public static long BytesFor(AudioFileFormat format) => (format.LengthFrames + 4096) * format.Channels * sizeof(float);

    /// <summary>
    /// Pass 1 reads the source (input meter, health and trace), runs trim/HPF/EQ (and the compressor and width when the
    /// programme loudness is already known) and keeps the result; pass 2 (only when the programme loudness is measured)
    /// runs the compressor and width on it. Returns the analysis as the streaming path's passes would give it (the
    /// pre-limiter report with a true peak only when <paramref name="preLimiterTruePeak"/>).
    /// </summary>
    public static (BufferedRender Buffer, double Programme, LoudnessReport Input, LoudnessReport PreLimiter, SignalHealthReport InputHealth, int Passes) Analyze(
        RenderRequest request, AudioFileFormat format, bool measureProgramme, double programme, bool preLimiterTruePeak, Action<int, double>? progress)
    {
        int block = request.BlockFrames;
        int channels = format.Channels;
        ChainStage firstStop = measureProgramme ? ChainStage.Compressor : ChainStage.LoudnessGain;
        MasteringChain chain = OfflineRenderer.CreateChain(request, format, gainDb: 0, ditherBits: 0, programme);
        int latency = chain.LatencyFrames;
        long declared = format.LengthFrames;
        var audio = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            audio[c] = new float[declared + latency];
        }

        IRenderTrace? trace = request.Trace;
        long blocks = ((declared + block - 1) / block) + ((latency + block - 1) / block);
        double[]? compressorTrace = trace is null ? null : new double[blocks];
        var inputMeter = new ProgramMeter(format.SampleRateHz, channels) { ProgrammeTruePeakOnly = true };
        var inputHealth = new SignalHealth(channels, format.SampleRateHz);
        var firstMeter = new ProgramMeter(format.SampleRateHz, channels, !measureProgramme && preLimiterTruePeak);
        var compressor = new OfflineRenderer.GainReductionAccumulator();
        trace?.Begin(format.SampleRateHz, channels);

        // Pass 1: read, meter the source, run the stages before firstStop, meter what reaches firstStop. The two meters
        // run as a pair (their K-weighting recursions interleave; bit-identical to two separate meters).
        long frames = 0;
        int chunkFrames = ChunkFrames(block);
        var meters = new ProgramMeterPair(inputMeter, firstMeter, chunkFrames);
        using (AudioFileReader reader = AudioFileReader.Open(request.InputPath))
        {
            while (frames < declared)
            {
                int want = (int)Math.Min(chunkFrames, declared - frames);
                int n = 0;
                while (n < want)
                {
                    int got = reader.ReadPlanar(audio[0].AsSpan((int)frames + n, want - n), channels == 2 ? audio[1].AsSpan((int)frames + n, want - n) : Span<float>.Empty);
                    if (got == 0)
                    {
                        break;
                    }

                    n += got;
                }

                if (n == 0)
                {
                    break;
                }

                Span<float> l = audio[0].AsSpan((int)frames, n);
                Span<float> r = channels == 2 ? audio[1].AsSpan((int)frames, n) : Span<float>.Empty;
                AudioBlock chunk = channels == 2 ? new AudioBlock(l, r) : new AudioBlock(l);
                meters.InputTap.Process(chunk);
                inputHealth.Process(l, r);
                trace?.Input(l, r);
                RunBlocks(chain, audio, frames, n, block, ChainStage.Trim, firstStop, measureProgramme ? null : compressor, measureProgramme ? null : compressorTrace, frames / block);
                meters.OutputTap.Process(chunk);
                frames += n;
                progress?.Invoke(1, declared > 0 ? Math.Min(1.0, (double)frames / declared) : 1.0);
                if (n < want)
                {
                    break; // the file is shorter than its header says
                }
            }
        }

        meters.Flush();
        long firstTailBlock = (frames + block - 1) / block;
        RunBlocks(chain, audio, frames, latency, block, ChainStage.Trim, firstStop, measureProgramme ? null : compressor, measureProgramme ? null : compressorTrace, firstTailBlock);
        progress?.Invoke(1, 1.0);

        var buffer = new BufferedRender(audio, frames, latency, compressorTrace) { NonFiniteSamples = chain.NonFiniteSampleCount };
        LoudnessReport preLimiter = firstMeter.GetReport();
        int passes = 1;
        if (measureProgramme)
        {
            // Pass 2 (memory): the compressor at the measured programme loudness, then width.
            programme = preLimiter.IntegratedLufs is double lufs
                ? Math.Clamp(lufs, Dsp.Processors.GlueCompressor.MinProgrammeLoudnessLufs, Dsp.Processors.GlueCompressor.MaxProgrammeLoudnessLufs)
                : double.NaN;
            passes++;
            MasteringChain second = OfflineRenderer.CreateChain(request, format, gainDb: 0, ditherBits: 0, programme);
            var secondMeter = new ProgramMeter(format.SampleRateHz, channels, preLimiterTruePeak);
            // The pre-limiter meter measures the whole result at the end: a stereo loudness-only meter does it in two halves
            // at once (ProgramMeter.ProcessSplit: the same report, at about half a meter's cost of K-weighting).
            bool measureAtEnd = channels == 2 && !preLimiterTruePeak;
            for (long start = 0; start < frames; start += chunkFrames)
            {
                int n = (int)Math.Min(chunkFrames, frames - start);
                RunBlocks(second, audio, start, n, block, ChainStage.Compressor, ChainStage.LoudnessGain, compressor, compressorTrace, start / block);
                if (!measureAtEnd)
                {
                    secondMeter.Process(audio[0].AsSpan((int)start, n), channels == 2 ? audio[1].AsSpan((int)start, n) : Span<float>.Empty);
                }

                progress?.Invoke(2, frames > 0 ? (double)(start + n) / frames : 1.0);
            }

            if (measureAtEnd)
            {
                ProgramMeter.ProcessSplit(secondMeter, audio[0].AsSpan(0, (int)frames), audio[1].AsSpan(0, (int)frames));
            }

            RunBlocks(second, audio, frames, latency, block, ChainStage.Compressor, ChainStage.LoudnessGain, compressor, compressorTrace, firstTailBlock);
            progress?.Invoke(2, 1.0);
            preLimiter = secondMeter.GetReport();
        }

        buffer.Compressor = compressor.Stats;
        return (buffer, programme, inputMeter.GetReport(), preLimiter, inputHealth.GetReport(), passes);
    }

    /// <summary>
    /// One writing pass from memory: loudness gain, limiter and dither on a copy of the kept audio, latency removed,
    /// metered and written. The kept audio is not changed (a corrective pass starts from it again).
    /// </summary>
    public (LoudnessReport Output, GainReductionStats Limiter, SignalHealthReport OutputHealth) Write(
        RenderRequest request, AudioFileFormat format, double gainDb, double programme, AudioFileWriter writer, Action<double> progress)
    {
        int block = request.BlockFrames;
        int channels = format.Channels;
        int ditherBits = OfflineRenderer.DitherBits(request.Encoding);
        MasteringChain chain = OfflineRenderer.CreateChain(request, format, gainDb, ditherBits, programme);
        var outputMeter = new ProgramMeter(format.SampleRateHz, channels) { ProgrammeTruePeakOnly = true };
        var outputHealth = new SignalHealth(channels);
        var limiter = new OfflineRenderer.GainReductionAccumulator();
        IRenderTrace? trace = request.Trace;
        trace?.BeginWritePass();
        int chunkFrames = ChunkFrames(block);
        var scratch = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            scratch[c] = new float[chunkFrames];
        }

        long total = Frames + Latency;
        long firstTailBlock = (Frames + block - 1) / block;
        long position = 0;
        foreach ((long segmentStart, long segmentLength, long firstBlock) in new[] { (0L, Frames, 0L), (Frames, (long)Latency, firstTailBlock) })
        {
            long blockIndex = firstBlock;
            for (long start = 0; start < segmentLength; start += chunkFrames)
            {
                int n = (int)Math.Min(chunkFrames, segmentLength - start);
                long at = segmentStart + start;
                for (int c = 0; c < channels; c++)
                {
                    _audio[c].AsSpan((int)at, n).CopyTo(scratch[c]);
                }

                for (int b = 0; b < n; b += block)
                {
                    int frames = Math.Min(block, n - b);
                    Span<float> l = scratch[0].AsSpan(b, frames);
                    AudioBlock audio = channels == 2 ? new AudioBlock(l, scratch[1].AsSpan(b, frames)) : new AudioBlock(l);
                    chain.ProcessStages(ChainStage.LoudnessGain, ChainStage.Dither + 1, audio);
                    Dsp.Processors.GainReductionReading reading = chain.ReadLimiterGainReduction();
                    limiter.Add(reading, frames);
                    trace?.GainReduction(_compressorTrace![blockIndex], Math.Abs(reading.MaxSinceLastReadDb), frames);
                    blockIndex++;
                }

                // Output frames are chain frames [Latency, Latency + Frames).
                long from = Math.Max(at, Latency);
                long to = Math.Min(at + n, Latency + Frames);
                if (to > from)
                {
                    int offset = (int)(from - at);
                    int count = (int)(to - from);
                    Span<float> l = scratch[0].AsSpan(offset, count);
                    Span<float> r = channels == 2 ? scratch[1].AsSpan(offset, count) : Span<float>.Empty;
                    outputMeter.Process(l, r);
                    outputHealth.Process(l, r);
                    writer.WritePlanar(l, r);
                    trace?.Output(l, r);
                }

                position = at + n;
                progress(total > 0 ? Math.Min(1.0, (double)position / total) : 1.0);
            }
        }

        progress(1.0);
        return (outputMeter.GetReport(), limiter.Stats, outputHealth.GetReport());
    }

    // Chunks of whole blocks (about 16 k frames): the unit of I/O and metering; the chain still runs block by block.
    private static int ChunkFrames(int block) => Math.Max(block, (16384 / block) * block);

    // Runs the stages [first, until) over audio[.., start .. start + count) in blocks of `block` frames (from the trim:
    // ProcessUntil, which sanitises the input); the compressor's reading after each block goes to `compressor` (and its
    // current reduction to `compressorTrace` from `firstBlock` on) when given.
    private static void RunBlocks(MasteringChain chain, float[][] audio, long start, int count, int block, ChainStage first, ChainStage until, OfflineRenderer.GainReductionAccumulator? compressor, double[]? compressorTrace, long firstBlock)
    {
        long blockIndex = firstBlock;
        for (int b = 0; b < count; b += block)
        {
            int frames = Math.Min(block, count - b);
            Span<float> l = audio[0].AsSpan((int)(start + b), frames);
            AudioBlock a = audio.Length == 2 ? new AudioBlock(l, audio[1].AsSpan((int)(start + b), frames)) : new AudioBlock(l);
            if (first == ChainStage.Trim)
            {
                chain.ProcessUntil(until, a);
            }
            else
            {
                chain.ProcessStages(first, until, a);
            }

            if (compressor is not null)
            {
                Dsp.Processors.GainReductionReading reading = chain.ReadCompressorGainReduction();
                compressor.Add(reading, frames);
                if (compressorTrace is not null)
                {
                    compressorTrace[blockIndex] = Math.Abs(reading.CurrentDb);
                }
            }

            blockIndex++;
        }
    }
}
