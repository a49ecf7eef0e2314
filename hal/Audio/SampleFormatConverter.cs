using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Audio;

/// <summary>
/// Allocation-free conversion between the device edge (interleaved integer or float frames) and the planar
/// stereo float32 the callback sees.
/// </summary>
/// <remarks>
/// Integer scaling is the symmetric power-of-two convention: a sample <c>s</c> of <c>b</c> bits decodes to
/// <c>s / 2^(b−1)</c>, so −1.0 is the most negative code and +1.0 clips to the most positive one. Encoding rounds to
/// nearest, clamps, and turns NaN into 0. Channel 0 is left and channel 1 right; a mono device duplicates its one input
/// channel and plays the mean of left and right; extra device channels capture nothing and play silence.
/// Safe to call on the real-time thread: no allocation, no exceptions for well-sized spans.
/// </remarks>
public static class SampleFormatConverter
{
    private const float Scale16 = 32768f;
    private const float Scale24 = 8388608f;
    private const double Scale32 = 2147483648.0;

    /// <summary>Bytes per sample of one channel.</summary>
    /// <param name="format">The edge format.</param>
    public static int BytesPerSample(AudioSampleFormat format) => format switch
    {
        AudioSampleFormat.S16LE => 2,
        AudioSampleFormat.S24Packed3LE => 3,
        AudioSampleFormat.S32LE => 4,
        AudioSampleFormat.Float32LE => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown sample format."),
    };

    /// <summary>Splits interleaved frames into planar left/right float32.</summary>
    /// <param name="source">At least <c>left.Length × channels × BytesPerSample(format)</c> bytes.</param>
    /// <param name="format">Format of <paramref name="source"/>.</param>
    /// <param name="channels">Interleaved channels in <paramref name="source"/> (1 or more).</param>
    /// <param name="left">Receives channel 0; its length is the frame count.</param>
    /// <param name="right">Receives channel 1 (channel 0 for mono); same length as <paramref name="left"/>.</param>
    public static void Deinterleave(ReadOnlySpan<byte> source, AudioSampleFormat format, int channels, Span<float> left, Span<float> right)
    {
        int rightChannel = channels > 1 ? 1 : 0;
        DecodeChannel(source, format, channels, 0, left);
        DecodeChannel(source, format, channels, rightChannel, right);
    }

    /// <summary>Joins planar left/right float32 into interleaved frames of <paramref name="format"/>.</summary>
    /// <param name="left">Left channel; its length is the frame count.</param>
    /// <param name="right">Right channel; same length as <paramref name="left"/>.</param>
    /// <param name="format">Format of <paramref name="destination"/>.</param>
    /// <param name="channels">Interleaved channels in <paramref name="destination"/> (1 or more).</param>
    /// <param name="destination">At least <c>left.Length × channels × BytesPerSample(format)</c> bytes.</param>
    public static void Interleave(ReadOnlySpan<float> left, ReadOnlySpan<float> right, AudioSampleFormat format, int channels, Span<byte> destination)
    {
        int frames = left.Length;
        if (channels == 1)
        {
            int size = BytesPerSample(format);
            for (int i = 0; i < frames; i++)
            {
                EncodeOne(0.5f * (left[i] + right[i]), format, destination.Slice(i * size, size));
            }

            return;
        }

        if (channels > 2)
        {
            destination.Slice(0, frames * channels * BytesPerSample(format)).Clear();
        }

        EncodeChannel(left, format, channels, 0, destination);
        EncodeChannel(right, format, channels, 1, destination);
    }

    /// <summary>
    /// Joins the master and the monitor pair into interleaved frames by <paramref name="map"/> (issue 14): the master on
    /// its pair, the monitor on its (when <paramref name="monitorLeft"/> is not empty), silence on every other channel.
    /// </summary>
    /// <param name="left">The master, left.</param>
    /// <param name="right">The master, right.</param>
    /// <param name="monitorLeft">The monitor pair, left (empty: the monitor channels play silence).</param>
    /// <param name="monitorRight">The monitor pair, right.</param>
    /// <param name="map">Where each goes.</param>
    /// <param name="format">Format of <paramref name="destination"/>.</param>
    /// <param name="channels">Interleaved channels in <paramref name="destination"/> (at least <see cref="OutputChannelMap.Channels"/>).</param>
    /// <param name="destination">At least <c>left.Length × channels × BytesPerSample(format)</c> bytes.</param>
    public static void InterleaveMapped(ReadOnlySpan<float> left, ReadOnlySpan<float> right, ReadOnlySpan<float> monitorLeft, ReadOnlySpan<float> monitorRight, OutputChannelMap map, AudioSampleFormat format, int channels, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(map);
        int frames = left.Length;
        destination.Slice(0, frames * channels * BytesPerSample(format)).Clear();
        EncodeChannel(left, format, channels, map.MasterLeft, destination);
        EncodeChannel(right, format, channels, map.MasterRight, destination);
        if (map.HasMonitorPair && monitorLeft.Length == frames)
        {
            EncodeChannel(monitorLeft, format, channels, map.MonitorLeft, destination);
            EncodeChannel(monitorRight, format, channels, map.MonitorRight, destination);
        }
    }

    /// <summary>Decodes one channel of interleaved data (or a planar buffer when <paramref name="stride"/> is 1).</summary>
    /// <param name="source">Interleaved bytes.</param>
    /// <param name="format">Format of <paramref name="source"/>.</param>
    /// <param name="stride">Samples per frame in <paramref name="source"/>.</param>
    /// <param name="channel">Channel index within a frame.</param>
    /// <param name="destination">Receives the channel; its length is the frame count.</param>
    public static void DecodeChannel(ReadOnlySpan<byte> source, AudioSampleFormat format, int stride, int channel, Span<float> destination)
    {
        int frames = destination.Length;
        switch (format)
        {
            case AudioSampleFormat.S16LE:
            {
                ReadOnlySpan<short> samples = MemoryMarshal.Cast<byte, short>(source);
                for (int i = 0, j = channel; i < frames; i++, j += stride)
                {
                    destination[i] = samples[j] * (1f / Scale16);
                }

                break;
            }

            case AudioSampleFormat.S24Packed3LE:
            {
                for (int i = 0, j = channel * 3; i < frames; i++, j += stride * 3)
                {
                    int value = source[j] | (source[j + 1] << 8) | ((sbyte)source[j + 2] << 16);
                    destination[i] = value * (1f / Scale24);
                }

                break;
            }

            case AudioSampleFormat.S32LE:
            {
                ReadOnlySpan<int> samples = MemoryMarshal.Cast<byte, int>(source);
                for (int i = 0, j = channel; i < frames; i++, j += stride)
                {
                    destination[i] = (float)(samples[j] * (1.0 / Scale32));
                }

                break;
            }

            default:
            {
                ReadOnlySpan<float> samples = MemoryMarshal.Cast<byte, float>(source);
                for (int i = 0, j = channel; i < frames; i++, j += stride)
                {
                    destination[i] = samples[j];
                }

                break;
            }
        }
    }

    /// <summary>Encodes one channel into interleaved data (or a planar buffer when <paramref name="stride"/> is 1).</summary>
    /// <param name="source">The channel's samples; its length is the frame count.</param>
    /// <param name="format">Format of <paramref name="destination"/>.</param>
    /// <param name="stride">Samples per frame in <paramref name="destination"/>.</param>
    /// <param name="channel">Channel index within a frame.</param>
    /// <param name="destination">Interleaved bytes.</param>
    public static void EncodeChannel(ReadOnlySpan<float> source, AudioSampleFormat format, int stride, int channel, Span<byte> destination)
    {
        int frames = source.Length;
        switch (format)
        {
            case AudioSampleFormat.S16LE:
            {
                Span<short> samples = MemoryMarshal.Cast<byte, short>(destination);
                for (int i = 0, j = channel; i < frames; i++, j += stride)
                {
                    samples[j] = (short)Math.Clamp(MathF.Round(source[i] * Scale16), -32768f, 32767f);
                }

                break;
            }

            case AudioSampleFormat.S24Packed3LE:
            {
                for (int i = 0, j = channel * 3; i < frames; i++, j += stride * 3)
                {
                    int value = (int)Math.Clamp(MathF.Round(source[i] * Scale24), -8388608f, 8388607f);
                    destination[j] = (byte)value;
                    destination[j + 1] = (byte)(value >> 8);
                    destination[j + 2] = (byte)(value >> 16);
                }

                break;
            }

            case AudioSampleFormat.S32LE:
            {
                Span<int> samples = MemoryMarshal.Cast<byte, int>(destination);
                for (int i = 0, j = channel; i < frames; i++, j += stride)
                {
                    samples[j] = (int)Math.Clamp(Math.Round(source[i] * Scale32), -2147483648.0, 2147483647.0);
                }

                break;
            }

            default:
            {
                Span<float> samples = MemoryMarshal.Cast<byte, float>(destination);
                for (int i = 0, j = channel; i < frames; i++, j += stride)
                {
                    samples[j] = source[i];
                }

                break;
            }
        }
    }

    private static void EncodeOne(float value, AudioSampleFormat format, Span<byte> destination)
    {
        switch (format)
        {
            case AudioSampleFormat.S16LE:
                BinaryPrimitives.WriteInt16LittleEndian(destination, (short)Math.Clamp(MathF.Round(value * Scale16), -32768f, 32767f));
                break;
            case AudioSampleFormat.S24Packed3LE:
                int v24 = (int)Math.Clamp(MathF.Round(value * Scale24), -8388608f, 8388607f);
                destination[0] = (byte)v24;
                destination[1] = (byte)(v24 >> 8);
                destination[2] = (byte)(v24 >> 16);
                break;
            case AudioSampleFormat.S32LE:
                BinaryPrimitives.WriteInt32LittleEndian(destination, (int)Math.Clamp(Math.Round(value * Scale32), -2147483648.0, 2147483647.0));
                break;
            default:
                BinaryPrimitives.WriteSingleLittleEndian(destination, value);
                break;
        }
    }
}
