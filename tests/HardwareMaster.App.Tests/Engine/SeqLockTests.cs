using HardwareMaster.App.Engine;

namespace HardwareMaster.App.Tests.Engine;

public class SeqLockTests
{
    // 64 bytes: wider than any atomic store, so a torn copy shows as fields from two different writes.
    private readonly record struct Wide(long A, long B, long C, long D, long E, long F, long G, long H)
    {
        public static Wide Of(long k) => new(k, k, k, k, k, k, k, k);

        public bool IsConsistent => A == B && B == C && C == D && D == E && E == F && F == G && G == H;
    }

    [Fact]
    public void Read_WriterThreadWritingContinuously_NeverReturnsATornValue()
    {
        var seqLock = new SeqLock<Wide>();
        seqLock.Write(Wide.Of(0));
        const long writes = 2_000_000;
        int done = 0;
        var writer = new Thread(() =>
        {
            for (long k = 1; k <= writes; k++)
            {
                seqLock.Write(Wide.Of(k));
            }

            Volatile.Write(ref done, 1);
        }) { IsBackground = true, Name = "seqlock-writer" };

        long reads = 0, torn = 0, backwards = 0, last = 0, distinct = 0;
        writer.Start();
        while (Volatile.Read(ref done) == 0)
        {
            Wide value = seqLock.Read();
            reads++;
            torn += value.IsConsistent ? 0 : 1;
            backwards += value.A < last ? 1 : 0;
            distinct += value.A != last ? 1 : 0;
            last = value.A;
        }

        writer.Join();
        Assert.Equal(0, torn);
        Assert.Equal(0, backwards); // one writer: a reader never sees an older value after a newer one
        Assert.True(reads > 0);
        Assert.Equal(Wide.Of(writes), seqLock.Read());
        Assert.Equal(2 * (writes + 1), seqLock.Sequence);
    }

    [Fact]
    public void TryRead_WhileWriting_NeverAcceptsATornValue()
    {
        var seqLock = new SeqLock<Wide>();
        int done = 0;
        var writer = new Thread(() =>
        {
            for (long k = 1; k <= 2_000_000; k++)
            {
                seqLock.Write(Wide.Of(k));
            }

            Volatile.Write(ref done, 1);
        }) { IsBackground = true, Name = "seqlock-writer" };

        long tornAccepted = 0;
        writer.Start();
        while (Volatile.Read(ref done) == 0)
        {
            if (seqLock.TryRead(out Wide value))
            {
                tornAccepted += value.IsConsistent ? 0 : 1;
            }
        }

        writer.Join();
        Assert.Equal(0, tornAccepted);
        Assert.True(seqLock.TryRead(out Wide final));
        Assert.True(final.IsConsistent);
    }

    [Fact]
    public void Write_AllocatesNothing()
    {
        var seqLock = new SeqLock<Wide>();
        void Writes()
        {
            for (long k = 0; k < 10_000; k++)
            {
                seqLock.Write(Wide.Of(k));
                _ = seqLock.Read();
            }
        }

        Assert.Equal(0, HardwareMaster.Hal.Tests.AudioFiles.AllocationProbe.SmallestBytesAllocated(Writes));
    }
}
