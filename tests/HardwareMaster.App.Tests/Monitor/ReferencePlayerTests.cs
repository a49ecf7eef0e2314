using HardwareMaster.App.Engine;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.AudioFiles;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Monitor;

[Collection(nameof(HardwareMaster.Hal.Tests.AudioFiles.AllocationMeasurements))] // allocation counts: run alone
public sealed class ReferencePlayerTests : IDisposable
{
    private const int Rate = 48000;
    private const int Block = 64;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hm-ref-" + Guid.NewGuid().ToString("N")[..10]);

    private readonly ITestOutputHelper _output;

    public ReferencePlayerTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Stores every monitor frame (a 4-output interface's monitor pair).</summary>
    private sealed class Capture : IMonitorSink
    {
        public readonly List<float> Left = new(1 << 20), Right = new(1 << 20);

        public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            for (int i = 0; i < left.Length; i++)
            {
                Left.Add(left[i]);
                Right.Add(right[i]);
            }
        }
    }

    private static AudioEngine CreateEngine()
    {
        var engine = new AudioEngine(new MasteringChain());
        _ = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 0);
        engine.Prepare(Rate, Block, paced: false, fadeInMs: 0);
        return engine;
    }

    // The programme: deterministic noise plus a low tone, about −24 dBFS RMS.
    private static void Programme(long block, float[] l, float[] r, Random random)
    {
        for (int i = 0; i < Block; i++)
        {
            long n = (block * Block) + i;
            double tone = 0.05 * Math.Sin(2 * Math.PI * 220 * n / Rate);
            l[i] = (float)(tone + (0.06 * ((random.NextDouble() * 2) - 1)));
            r[i] = (float)(tone + (0.06 * ((random.NextDouble() * 2) - 1)));
        }
    }

    // A reference file: louder, another spectrum (tones at 440 / 2500 Hz and noise), at its own rate.
    private static string WriteReference(string folder, string name, int rate, int channels, double seconds, double gain, AudioContainer container = AudioContainer.Wav)
    {
        string path = Path.Combine(folder, name);
        var random = new Random(7);
        int frames = (int)(seconds * rate);
        var data = new float[frames * channels];
        for (int i = 0; i < frames; i++)
        {
            double s = (0.5 * Math.Sin(2 * Math.PI * 440 * i / rate)) + (0.2 * Math.Sin(2 * Math.PI * 2500 * i / rate));
            for (int c = 0; c < channels; c++)
            {
                data[(i * channels) + c] = (float)(gain * (s + (0.2 * ((random.NextDouble() * 2) - 1))));
            }
        }

        using (AudioFileWriter writer = AudioFileWriter.Create(path, container, SampleEncoding.Pcm24, rate, channels))
        {
            writer.Write(data);
            writer.Complete();
        }

        return path;
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        DateTime until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail("timed out waiting for " + what);
            }

            Thread.Sleep(5);
        }
    }

    [Fact]
    public void Reference_At44k1_IsLoudnessMatchedToTheProgramme_WithinHalfALu_AndTheMasterIsUntouched()
    {
        WriteReference(_dir, "ref.wav", 44100, 2, 4.0, 0.8); // louder than the programme by about 15 dB
        var engine = CreateEngine();
        var capture = new Capture();
        var path = new MonitorPath(MonitorRoute.Sink, capture);
        using var player = new ReferencePlayer(_dir, pollInterval: TimeSpan.FromMilliseconds(50));
        path.AttachReference(player);
        engine.AttachMonitor(path);
        player.Start();
        WaitFor(() => player.Status.Files.Count == 1, "the listing");

        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        var random = new Random(3);
        var master = new List<float>(1 << 20);
        long b = 0;
        void Run(int blocks, bool paced)
        {
            for (int k = 0; k < blocks; k++, b++)
            {
                if (paced)
                {
                    WaitFor(() => player.BufferedFrames >= Block, "the ring to hold a block"); // the worker keeps up with a real clock
                }

                Programme(b, inL, inR, random);
                engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
                for (int i = 0; i < Block; i++)
                {
                    master.Add(outL[i]);
                    master.Add(outR[i]);
                }
            }
        }

        Run(Rate * 4 / Block, paced: false); // 4 s of programme: the short-term window is full
        int before = capture.Left.Count;
        Assert.Equal(before, master.Count / 2);
        Assert.Equal(master.Where((_, i) => i % 2 == 0), capture.Left); // off: the monitor is the master

        player.SetOn(true);
        WaitFor(() => player.Status.State == ReferenceState.Playing && player.BufferedFrames >= Block, "the reference to load");
        Assert.Equal(44100, player.Status.FileRateHz); // converted by libsoxr
        int on = capture.Left.Count;
        Run(Rate * 10 / Block, paced: true); // 10 s: the file loops more than twice
        Assert.Equal(0, player.UnderrunFrames);

        // An independent meter on both outputs over the last 6 s: the master and the monitor (now the reference).
        int last = Rate * 6;
        var masterMeter = new ProgramMeter(Rate, 2, measureTruePeak: false);
        var monitorMeter = new ProgramMeter(Rate, 2, measureTruePeak: false);
        float[] ml = new float[last], mr = new float[last];
        for (int i = 0; i < last; i++)
        {
            int frame = (master.Count / 2) - last + i;
            ml[i] = master[2 * frame];
            mr[i] = master[(2 * frame) + 1];
        }

        masterMeter.Process(ml, mr);
        monitorMeter.Process(capture.Left.Skip(capture.Left.Count - last).ToArray(), capture.Right.Skip(capture.Right.Count - last).ToArray());
        Assert.True(masterMeter.TryReadGatedLoudness(out double masterLufs, out _));
        Assert.True(monitorMeter.TryReadGatedLoudness(out double monitorLufs, out _));
        _output.WriteLine($"master {masterLufs:0.00} LUFS, monitor (reference) {monitorLufs:0.00} LUFS, file {player.Status.TrackLufs:0.00} LUFS, offset {player.OffsetDb:0.00} dB");
        Assert.InRange(monitorLufs - masterLufs, -0.5, 0.5);
        Assert.InRange(player.OffsetDb, -25, -5); // the reference was brought down
        Assert.InRange(Math.Abs(player.OffsetDb - (masterLufs - player.Status.TrackLufs)), 0, 0.5);

        // The monitor really plays the reference (440 Hz), not the master (220 Hz + noise): they differ.
        Assert.True(capture.Left.Count - on >= last);
        double diff = 0;
        for (int i = 0; i < last; i++)
        {
            diff = Math.Max(diff, Math.Abs(ml[i] - capture.Left[capture.Left.Count - last + i]));
        }

        Assert.True(diff > 0.05, $"monitor equals master (max diff {diff})");

        // Off again: a 20 ms crossfade back, then the monitor is the master bit for bit.
        player.SetOn(false);
        Run(Rate / Block, paced: false);
        int tail = Rate / 2;
        for (int i = 0; i < tail; i++)
        {
            int frame = (master.Count / 2) - tail + i;
            Assert.Equal(master[2 * frame], capture.Left[capture.Left.Count - tail + i]);
        }

        Assert.False(player.IsAudible);

        // The master while the reference played (and around it) is bit for bit what an engine with no monitor path and no
        // reference gives for the same input: the A/B touches only the monitor.
        var plain = CreateEngine();
        var plainRandom = new Random(3);
        var plainMaster = new List<float>(master.Count);
        for (long k = 0; k < b; k++)
        {
            Programme(k, inL, inR, plainRandom);
            plain.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, k));
            for (int i = 0; i < Block; i++)
            {
                plainMaster.Add(outL[i]);
                plainMaster.Add(outR[i]);
            }
        }

        Assert.Equal(plainMaster.Count, master.Count);
        int firstDifference = -1;
        for (int i = 0; i < master.Count && firstDifference < 0; i++)
        {
            if (BitConverter.SingleToInt32Bits(master[i]) != BitConverter.SingleToInt32Bits(plainMaster[i]))
            {
                firstDifference = i;
            }
        }

        Assert.True(firstDifference < 0, $"the master differs from the no-monitor engine at sample {firstDifference}");
    }

    [Fact]
    public void Toggle_CrossfadesWithoutAStep()
    {
        // Programme: a 0.5 amplitude DC-free low tone; reference: silence-free mono file. A hard switch would jump by
        // up to ~1; the crossfade moves at most a 20 ms ramp's worth per sample (plus the signals' own slope).
        WriteReference(_dir, "mono.aiff", 48000, 1, 2.0, 0.8, AudioContainer.Aiff);
        var engine = CreateEngine();
        var capture = new Capture();
        var path = new MonitorPath(MonitorRoute.Sink, capture);
        using var player = new ReferencePlayer(_dir, pollInterval: TimeSpan.FromMilliseconds(50));
        path.AttachReference(player);
        engine.AttachMonitor(path);
        player.Start();
        WaitFor(() => player.Status.Files.Count == 1, "the listing");
        player.SetOn(true);
        WaitFor(() => player.Status.State == ReferenceState.Playing && player.BufferedFrames >= Rate / 2, "the reference to load");
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        for (int b = 0; b < Rate / 4 / Block; b++)
        {
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b)); // silent programme: the offset holds at 0 dB
        }

        Assert.True(player.IsAudible);
        Assert.Equal(0.0, player.OffsetDb);
        List<float> left = capture.Left;
        int firstLoud = left.FindIndex(v => Math.Abs(v) > 1e-6f);
        Assert.InRange(firstLoud, 0, 200);

        // The first 20 ms ramp from silence: no sample exceeds the ramp's envelope (peak 0.8 × 0.9 of the file).
        int fade = (int)(ReferencePlayer.CrossfadeMs * 0.001 * Rate);
        for (int i = 0; i < fade; i++)
        {
            Assert.True(Math.Abs(left[i]) <= (1.0 * (i + 1) / fade) + 1e-4, $"sample {i} = {left[i]} above the ramp");
        }

        Assert.Contains(left.Skip(fade).Take(Rate / 10), v => Math.Abs(v) > 0.3f);
    }

    [Fact]
    public void StickArrivesAndLeavesMidPlayback_AudioNeverStops_NoticeShown_NoException()
    {
        string stick = Path.Combine(_dir, "stick");
        var engine = CreateEngine();
        var path = new MonitorPath(MonitorRoute.MainOutput);
        using var player = new ReferencePlayer(Path.Combine(_dir, "st*"), pollInterval: TimeSpan.FromMilliseconds(50));
        path.AttachReference(player);
        engine.AttachMonitor(path);
        player.Start();

        long blocks = 0;
        Exception? escaped = null;
        using var stop = new CancellationTokenSource();
        var audio = new Thread(() =>
        {
            float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
            try
            {
                for (long b = 0; !stop.IsCancellationRequested; b++)
                {
                    Array.Fill(inL, 0.1f * (float)Math.Sin(b * 0.1));
                    Array.Fill(inR, 0.1f * (float)Math.Cos(b * 0.1));
                    engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
                    Interlocked.Increment(ref blocks);
                    Thread.Sleep(1); // roughly the device's pace (not asserted)
                }
            }
            catch (Exception ex)
            {
                escaped = ex;
            }
        }) { IsBackground = true, Name = "test-audio" };
        audio.Start();

        WaitFor(() => player.Status.State == ReferenceState.NoFolder && Interlocked.Read(ref blocks) > 10, "the first poll");
        player.SetOn(true); // no stick: a notice, stays off
        WaitFor(() => !player.IsOn && player.Status.Notice?.Contains("no reference folder", StringComparison.Ordinal) == true, "the no-folder notice");

        string staging = Path.Combine(_dir, "prep"); // the stick arrives whole, as a mount does
        Directory.CreateDirectory(staging);
        WriteReference(staging, "a.wav", 48000, 2, 8.0, 0.5);
        WriteReference(staging, "b.wav", 96000, 2, 1.0, 0.5);
        Directory.Move(staging, stick);
        WaitFor(() => player.Status.Files.Count == 2, "the stick's files");
        Assert.Contains("2 files", player.Status.Notice, StringComparison.Ordinal);
        Assert.Equal("a.wav", player.Status.SelectedName);

        player.SetOn(true);
        WaitFor(() => player.IsAudible && player.BlocksMixed > 20, "the reference to play");
        Assert.Equal("b.wav", player.Next());
        WaitFor(() => player.Status.Track == "b.wav" && player.Status.State == ReferenceState.Playing, "the next file");
        Assert.Equal(96000, player.Status.FileRateHz);
        WaitFor(() => player.IsAudible, "the next file to fade in");

        int serial = player.Status.NoticeSerial;
        string pulled = Path.Combine(_dir, "pulled");
        Directory.Move(stick, pulled); // the stick leaves while the reference plays: its mount point vanishes at once
        Directory.Delete(pulled, recursive: true);
        WaitFor(() => player.Status.NoticeSerial > serial && !player.IsOn, "the removal notice");
        Assert.Contains("stick removed", player.Status.Notice, StringComparison.Ordinal);
        Assert.Contains("b.wav", player.Status.Notice, StringComparison.Ordinal);
        WaitFor(() => !player.IsAudible, "the fade out");
        long after = Interlocked.Read(ref blocks);
        WaitFor(() => Interlocked.Read(ref blocks) > after + 200, "the engine to go on producing blocks");
        Assert.Equal(ReferenceState.NoFolder, player.Status.State);

        // It comes back.
        Directory.CreateDirectory(staging);
        WriteReference(staging, "c.aif", 44100, 1, 1.0, 0.5, AudioContainer.Aiff);
        Directory.Move(staging, stick);
        WaitFor(() => player.Status.Files.Count == 1 && player.Status.State == ReferenceState.Ready, "the stick again");
        player.SetOn(true);
        WaitFor(() => player.IsAudible, "c.aif to play");

        stop.Cancel();
        audio.Join();
        Assert.Null(escaped);
    }

    [Fact]
    public void BadFiles_GiveANoticeNamingTheFile_AndNeverStopTheAudio()
    {
        File.WriteAllText(Path.Combine(_dir, "1-text.wav"), "this is not a wave file at all");
        File.WriteAllBytes(Path.Combine(_dir, "2-empty.aiff"), []);
        File.WriteAllBytes(Path.Combine(_dir, "3-mp3.wav"), Mp3InWav());
        string cut = WriteReference(_dir, "4-cut.wav", 48000, 2, 2.0, 0.5);
        using (var stream = new FileStream(cut, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2); // the header says 2 s, the data ends at 1
        }

        WriteReference(_dir, "5-good.wav", 48000, 2, 1.0, 0.5);
        var engine = CreateEngine();
        var path = new MonitorPath(MonitorRoute.MainOutput);
        using var player = new ReferencePlayer(_dir, pollInterval: TimeSpan.FromMilliseconds(50));
        path.AttachReference(player);
        engine.AttachMonitor(path);
        player.Start();
        WaitFor(() => player.Status.Files.Count == 5, "the listing");
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        long b = 0;
        foreach (string name in new[] { "1-text.wav", "2-empty.aiff", "3-mp3.wav", "4-cut.wav" })
        {
            Assert.True(player.Select(name));
            int serial = player.Status.NoticeSerial;
            player.SetOn(true);
            WaitFor(() => player.Status.NoticeSerial > serial && !player.IsOn, "the notice for " + name);
            Assert.StartsWith("reference " + name + ": ", player.Status.Notice, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', player.Status.Notice!);
            for (int k = 0; k < 50; k++, b++)
            {
                engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b)); // the audio goes on
            }
        }

        Assert.True(player.Select("5-good.wav"));
        player.SetOn(true);
        WaitFor(() => player.Status.State == ReferenceState.Playing, "the good file");
        engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        Assert.True(player.IsAudible);
    }

    [Fact]
    public void Render_WithTheReferencePlaying_AllocatesNothing()
    {
        WriteReference(_dir, "ref.wav", 44100, 2, 3.0, 0.5);
        var engine = CreateEngine();
        var path = new MonitorPath(MonitorRoute.MainOutput);
        using var player = new ReferencePlayer(_dir, pollInterval: TimeSpan.FromMilliseconds(50));
        path.AttachReference(player);
        engine.AttachMonitor(path);
        player.Start();
        WaitFor(() => player.Status.Files.Count == 1, "the listing");
        player.SetOn(true);
        WaitFor(() => player.Status.State == ReferenceState.Playing, "the reference to load");
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        Array.Fill(inL, 0.1f);
        Array.Fill(inR, -0.1f);
        long b = 0;
        for (; b < 200; b++)
        {
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }

        // Least of four segments (see MonitorPathTests); on, off and on again inside them (crossfades, swaps).
        long smallest = long.MaxValue;
        for (int segment = 0; segment < 4; segment++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 400; k++, b++)
            {
                if (k == 100 || k == 200)
                {
                    player.SetOn(k == 200);
                }

                engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, smallest);
        Assert.True(player.BlocksMixed > 0);
    }

    [Fact]
    public void Folder_WildcardFindsTheStick_SkipsHiddenAndOtherFiles()
    {
        string media = Path.Combine(_dir, "media");
        Directory.CreateDirectory(Path.Combine(media, "pi", "EMPTY"));
        string stick = Path.Combine(media, "pi", "STICK");
        Directory.CreateDirectory(stick);
        File.WriteAllText(Path.Combine(stick, "._b.wav"), "AppleDouble");
        File.WriteAllText(Path.Combine(stick, "notes.txt"), "x");
        File.WriteAllText(Path.Combine(stick, "B.aiff"), "x");
        File.WriteAllText(Path.Combine(stick, "a.WAV"), "x");
        ReferenceFolder.Listing listing = ReferenceFolder.Scan(Path.Combine(media, "*", "*") + ":" + Path.Combine(_dir, "nowhere"));
        Assert.Equal(stick, listing.Folder);
        Assert.Equal(["a.WAV", "B.aiff"], listing.Files);

        ReferenceFolder.Listing none = ReferenceFolder.Scan(Path.Combine(_dir, "nowhere") + ":" + Path.Combine(media, "*", "EMPTY"));
        Assert.Equal(Path.Combine(media, "pi", "EMPTY"), none.Folder);
        Assert.Empty(none.Files);
        Assert.Null(ReferenceFolder.Scan(Path.Combine(_dir, "nowhere", "*")).Folder);
    }

    // A WAV whose format tag is MPEG Layer 3 (0x0055): a container the reader knows around a codec it does not.
    private static byte[] Mp3InWav()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + 400);
        w.Write("WAVE"u8);
        w.Write("fmt "u8);
        w.Write(16);
        w.Write((short)0x55);
        w.Write((short)2);
        w.Write(44100);
        w.Write(16000);
        w.Write((short)1);
        w.Write((short)0);
        w.Write("data"u8);
        w.Write(400);
        w.Write(new byte[400]);
        w.Flush();
        return stream.ToArray();
    }
}
