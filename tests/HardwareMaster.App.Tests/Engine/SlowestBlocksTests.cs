using HardwareMaster.App.Engine;

namespace HardwareMaster.App.Tests.Engine;

public class SlowestBlocksTests
{
    [Fact]
    public void Offer_KeepsTheSlowestBlocks_SlowestFirst()
    {
        var slowest = new SlowestBlocks(capacity: 3);
        double[] walls = [5, 1, 9, 2, 7, 3, 9.5, 0.5];
        for (int i = 0; i < walls.Length; i++)
        {
            slowest.Offer(i, walls[i], walls[i] / 2, garbageCollected: i == 2);
        }

        SlowBlock[] kept = slowest.Snapshot();
        Assert.Equal([6L, 2L, 4L], kept.Select(b => b.Block));
        Assert.Equal([9.5, 9, 7], kept.Select(b => b.WallPercent));
        Assert.Equal(4.5, kept[1].CpuPercent);
        Assert.True(kept[1].GarbageCollected);
        Assert.False(kept[0].GarbageCollected);
    }

    [Fact]
    public void Snapshot_BeforeItFills_HasOnlyWhatWasOffered()
    {
        var slowest = new SlowestBlocks(capacity: 8);
        Assert.Empty(slowest.Snapshot());
        slowest.Offer(0, 3, 3, false);
        slowest.Offer(1, 4, 4, false);
        Assert.Equal([1L, 0L], slowest.Snapshot().Select(b => b.Block));
    }

    [Fact]
    public void Engine_ReportsItsSlowestBlocksWithTheirIndex()
    {
        var engine = new AudioEngine(new HardwareMaster.Dsp.Chain.MasteringChain());
        engine.Prepare(48000, 64, paced: false, fadeInMs: 0);
        var signal = new SleepOnBlock(5, sleepMs: 50);
        engine.TestSignal = signal;
        engine.Warm(50, fadeInMs: 0); // compiled before the measured blocks
        float[] buffer = new float[64];
        for (int b = 0; b < 12; b++)
        {
            engine.ProcessBlock(new HardwareMaster.Hal.Audio.AudioBuffers(buffer, buffer, new float[64], new float[64], b));
        }

        // Found by its index, not as the slowest: on a busy machine another block may be preempted for longer. It sleeps
        // 50 ms (3 750 % of the period) and touches 8 MB (a few ms of CPU at most), so its CPU time stays below half its wall time.
        SlowBlock slowest = Assert.Single(engine.ReadSlowestBlocks(), b => b.Block == 5);
        Assert.True(slowest.WallPercent > 100, $"{slowest.WallPercent} %");
        Assert.True(slowest.CpuPercent < slowest.WallPercent / 2, $"a sleeping block uses little CPU: {slowest}");
        Assert.True(slowest.MinorFaults >= 1000, $"{slowest.MinorFaults} minor faults for 2 048 freshly touched pages");
    }

    private sealed class SleepOnBlock(long block, int sleepMs) : HardwareMaster.Hal.Audio.Generators.IAudioSignal
    {
        public void Render(Span<float> left, Span<float> right, long startFrame)
        {
            left.Clear();
            right.Clear();
            if (startFrame == block * left.Length)
            {
                TouchFreshMemory();
                Thread.Sleep(sleepMs);
            }
        }

        // 8 MB from malloc (mmap for this size): every page is faulted in on first touch, then unmapped again.
        private static unsafe void TouchFreshMemory()
        {
            const int size = 8 << 20;
            byte* memory = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(size);
            for (int i = 0; i < size; i += 4096)
            {
                memory[i] = 1;
            }

            System.Runtime.InteropServices.NativeMemory.Free(memory);
        }
    }
}
