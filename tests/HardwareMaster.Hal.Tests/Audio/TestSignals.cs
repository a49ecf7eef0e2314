using HardwareMaster.Hal.Audio;

namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>Integer test material that every format represents exactly, and raw-file helpers.</summary>
internal static class TestSignals
{
    public static int Bits(AudioSampleFormat format) => format switch
    {
        AudioSampleFormat.S16LE => 16,
        AudioSampleFormat.S24Packed3LE => 24,
        _ => 32,
    };

    /// <summary>
    /// Interleaved stereo frames as exact floats: a deterministic pseudo-random walk below 0.9 FS quantised to the
    /// format's resolution (at most 24 bits, so float32 holds it exactly). Left and right differ.
    /// </summary>
    public static float[] ExactStereo(AudioSampleFormat format, int frames, int seed)
    {
        int bits = Math.Min(Bits(format), 24);
        float scale = MathF.Pow(2, bits - 1);
        var random = new Random(seed);
        var samples = new float[frames * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            double value = (random.NextDouble() * 1.8) - 0.9;
            samples[i] = MathF.Round((float)value * scale) / scale;
        }

        return samples;
    }

    public static byte[] Encode(float[] interleaved, AudioSampleFormat format)
    {
        int frames = interleaved.Length / 2;
        var left = new float[frames];
        var right = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            left[i] = interleaved[2 * i];
            right[i] = interleaved[(2 * i) + 1];
        }

        var bytes = new byte[frames * 2 * SampleFormatConverter.BytesPerSample(format)];
        SampleFormatConverter.Interleave(left, right, format, 2, bytes);
        return bytes;
    }

    public static float[] Decode(byte[] bytes, AudioSampleFormat format)
    {
        int frames = bytes.Length / (2 * SampleFormatConverter.BytesPerSample(format));
        var left = new float[frames];
        var right = new float[frames];
        SampleFormatConverter.Deinterleave(bytes.AsSpan(0, frames * 2 * SampleFormatConverter.BytesPerSample(format)), format, 2, left, right);
        var interleaved = new float[frames * 2];
        for (int i = 0; i < frames; i++)
        {
            interleaved[2 * i] = left[i];
            interleaved[(2 * i) + 1] = right[i];
        }

        return interleaved;
    }
}

/// <summary>
/// A callback that swaps and negates the channels (out L = in R, out R = −in L), records what it saw and produced, and
/// measures its own thread's allocations from block <see cref="WarmUpBlocks"/> on.
/// </summary>
internal sealed class RecordingCallback : IAudioCallback
{
    public const int WarmUpBlocks = 100;

    private readonly float[] _inputs;
    private readonly float[] _outputs;
    private long _allocatedAtWarmUp = -1;
    private long _allocatedNow;
    private int _frames;

    public RecordingCallback(int capacityFrames)
    {
        _inputs = new float[capacityFrames * 2];
        _outputs = new float[capacityFrames * 2];
    }

    public int Frames => Volatile.Read(ref _frames);

    public long Blocks { get; private set; }

    public ReadOnlySpan<float> Inputs => _inputs.AsSpan(0, Frames * 2);

    public ReadOnlySpan<float> Outputs => _outputs.AsSpan(0, Frames * 2);

    /// <summary>Bytes allocated by the callback thread between block 100 and the last block (−1 if fewer blocks ran).</summary>
    public long SteadyStateAllocatedBytes => _allocatedAtWarmUp < 0 ? -1 : _allocatedNow - _allocatedAtWarmUp;

    public void ProcessBlock(in AudioBuffers buffers)
    {
        if (buffers.BlockIndex == WarmUpBlocks)
        {
            _allocatedAtWarmUp = GC.GetAllocatedBytesForCurrentThread();
        }

        int start = _frames;
        for (int i = 0; i < buffers.Frames; i++)
        {
            float left = buffers.InputLeft[i];
            float right = buffers.InputRight[i];
            buffers.OutputLeft[i] = right;
            buffers.OutputRight[i] = -left;
            int at = (start + i) * 2;
            if (at + 1 < _inputs.Length)
            {
                _inputs[at] = left;
                _inputs[at + 1] = right;
                _outputs[at] = right;
                _outputs[at + 1] = -left;
            }
        }

        Volatile.Write(ref _frames, Math.Min(start + buffers.Frames, _inputs.Length / 2));
        Blocks = buffers.BlockIndex + 1;
        if (buffers.BlockIndex >= WarmUpBlocks)
        {
            _allocatedNow = GC.GetAllocatedBytesForCurrentThread();
        }
    }
}

internal static class DeviceRun
{
    /// <summary>Starts the device, waits for Completed (or a fatal error), and returns the errors seen.</summary>
    public static List<AudioDeviceError> RunToCompletion(IAudioDevice device, IAudioCallback callback, TimeSpan timeout)
    {
        var errors = new List<AudioDeviceError>();
        using var done = new ManualResetEventSlim();
        device.Completed += done.Set;
        device.Error += error =>
        {
            lock (errors)
            {
                errors.Add(error);
            }

            if (error.IsFatal)
            {
                done.Set();
            }
        };
        device.Start(callback);
        bool finished = done.Wait(timeout);
        device.Stop();
        Assert.True(finished, $"{device.Name} did not complete within {timeout}; errors: {string.Join("; ", errors.Select(e => e.Message))}");
        lock (errors)
        {
            return [.. errors];
        }
    }
}
