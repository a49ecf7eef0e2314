using HardwareMaster.Hal.Audio.RealTime;

namespace HardwareMaster.Hal.Tests.Audio;

public class RealtimeThreadTests
{
    [Fact]
    public void TryPromoteCurrentThread_DedicatedThread_RunsFifoOrExplainsWhy()
    {
        RealtimeResult result = default;
        bool isFifo = false;
        int priority = -1;
        bool restoredToNormal = false;
        var thread = new Thread(() =>
        {
            result = RealtimeThread.TryPromoteCurrentThread(3);
            RealtimeThread.TryGetCurrentThreadScheduling(out isFifo, out priority);
            RealtimeThread.RestoreNormalScheduling();
            RealtimeThread.TryGetCurrentThreadScheduling(out bool stillFifo, out _);
            restoredToNormal = !stillFifo;
        });
        thread.Start();
        thread.Join();

        Assert.True(restoredToNormal);
        if (result.Succeeded)
        {
            Assert.True(isFifo);
            Assert.Equal(3, priority);
            Assert.Null(result.Warning);
        }
        else
        {
            // Unprivileged (not the CI case): EPERM with a warning that names the fix, and the thread stays normal.
            Assert.Equal(1, result.ErrorNumber);
            Assert.Contains("LimitRTPRIO", result.Warning);
            Assert.False(isFifo);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void TryPromoteCurrentThread_InvalidPriority_ReturnsWarningInsteadOfThrowing(int priority)
    {
        RealtimeResult result = default;
        var thread = new Thread(() => result = RealtimeThread.TryPromoteCurrentThread(priority));
        thread.Start();
        thread.Join();
        Assert.False(result.Succeeded);
        Assert.Equal(22, result.ErrorNumber);
        Assert.Contains($"SCHED_FIFO priority {priority}", result.Warning);
        Assert.Contains("1–99", result.Warning);
    }
}
