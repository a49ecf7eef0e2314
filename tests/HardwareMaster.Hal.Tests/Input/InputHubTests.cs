using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.Hal.Tests.Input;

public class InputHubTests
{
    private sealed class ListQueue(params InputEvent[] events) : IInputQueue
    {
        private readonly Queue<InputEvent> _events = new(events);

        public bool TryRead(out InputEvent inputEvent) => _events.TryDequeue(out inputEvent);
    }

    [Fact]
    public void TryRead_SeveralSources_MergesInTimestampOrder()
    {
        var hub = new InputHub();
        hub.Add(new ListQueue(new InputEvent(InputSource.Encoder(0), InputAction.Rotate, 1, 10), new InputEvent(InputSource.Encoder(0), InputAction.Rotate, 1, 40)));
        hub.Add(new ListQueue(new InputEvent(InputSource.Button(0), InputAction.Press, 0, 20), new InputEvent(InputSource.Button(0), InputAction.Release, 0, 30)));
        var stamps = new List<long>();
        while (hub.TryRead(out InputEvent e))
        {
            stamps.Add(e.TimestampTicks);
        }

        Assert.Equal([10L, 20L, 30L, 40L], stamps);
    }

    [Fact]
    public void TryRead_Empty_ReturnsFalseWithoutAllocating()
    {
        var hub = new InputHub();
        hub.Add(new ListQueue());
        hub.TryRead(out _);
        long smallest = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 250; i++)
            {
                Assert.False(hub.TryRead(out _));
            }
        });

        Assert.Equal(0, smallest);
    }
}
