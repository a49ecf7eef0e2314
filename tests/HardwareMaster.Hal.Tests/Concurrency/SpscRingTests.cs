using HardwareMaster.Hal.Concurrency;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.Hal.Tests.Concurrency;

public class SpscRingTests
{
    [Fact]
    public void TryWrite_WhenFull_ReturnsFalseAndKeepsQueuedItems()
    {
        var ring = new SpscRing<int>(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryWrite(i));
        }

        Assert.False(ring.TryWrite(99));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryRead(out int value));
            Assert.Equal(i, value);
        }

        Assert.False(ring.TryRead(out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    public void Constructor_CapacityNotPowerOfTwo_Throws(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<int>(capacity));
    }

    [Fact]
    public void TwoThreads_MillionItems_ArriveInOrderWithoutLoss()
    {
        const int count = 1_000_000;
        var ring = new SpscRing<long>(64);
        var producer = new Thread(() =>
        {
            for (long i = 0; i < count; i++)
            {
                while (!ring.TryWrite(i))
                {
                    Thread.SpinWait(1);
                }
            }
        });
        producer.Start();
        long expected = 0;
        while (expected < count)
        {
            if (ring.TryRead(out long value))
            {
                Assert.Equal(expected, value);
                expected++;
            }
        }

        producer.Join();
        Assert.False(ring.TryRead(out _));
    }

    [Fact]
    public void TryWriteTryRead_SteadyState_AllocatesNothing()
    {
        var ring = new SpscRing<double>(8);
        ring.TryWrite(1.0);
        ring.TryRead(out _);
        long smallest = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 2_500; i++)
            {
                ring.TryWrite(i);
                ring.TryRead(out _);
            }
        });

        Assert.Equal(0, smallest);
    }
}
