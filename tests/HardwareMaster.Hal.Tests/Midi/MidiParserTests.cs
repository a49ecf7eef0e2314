using System.Diagnostics;
using HardwareMaster.Hal.Midi;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.Hal.Tests.Midi;

public sealed class MidiParserTests
{
    private static List<MidiMessage> Parse(params byte[] bytes)
    {
        var parser = new MidiParser();
        var messages = new List<MidiMessage>();
        foreach (byte b in bytes)
        {
            if (parser.Push(b, out MidiMessage message))
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    [Fact]
    public void Push_RunningStatus_EachDataPairIsAMessage()
    {
        List<MidiMessage> messages = Parse(0xB1, 7, 100, 7, 101, 10, 64);
        Assert.Equal(
            [new(MidiMessageKind.ControlChange, 1, 7, 100), new(MidiMessageKind.ControlChange, 1, 7, 101), new(MidiMessageKind.ControlChange, 1, 10, 64)],
            messages);
    }

    [Fact]
    public void Push_RealtimeInsideAMessage_IsTransparent()
    {
        // clock, active sensing and start between status, controller and value
        List<MidiMessage> messages = Parse(0xB0, 0xF8, 20, 0xFE, 0xFA, 5, 0xF8, 21, 0xFF, 6);
        Assert.Equal([new(MidiMessageKind.ControlChange, 0, 20, 5), new(MidiMessageKind.ControlChange, 0, 21, 6)], messages);
    }

    [Fact]
    public void Push_SysexSkipped_AndItCancelsTheRunningStatus()
    {
        var parser = new MidiParser();
        var messages = new List<MidiMessage>();
        foreach (byte b in new byte[] { 0xB0, 20, 1, 0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7, 20, 2, 0xB0, 20, 3 })
        {
            if (parser.Push(b, out MidiMessage message))
            {
                messages.Add(message);
            }
        }

        Assert.Equal([new(MidiMessageKind.ControlChange, 0, 20, 1), new(MidiMessageKind.ControlChange, 0, 20, 3)], messages);
        Assert.Equal(1, parser.SysexSkipped);
        Assert.Equal(2, parser.GarbageBytes); // "20 2" after the sysex had no status
    }

    [Fact]
    public void Push_SysexWithoutEox_EndsAtTheNextStatus()
    {
        Assert.Equal([new(MidiMessageKind.ProgramChange, 3, 5, 0)], Parse(0xF0, 1, 2, 3, 0xC3, 5));
    }

    [Fact]
    public void Push_GarbageAndSystemCommon_AreDropped()
    {
        // data bytes before any status; song position (2 data bytes); MTC quarter frame (1); tune request; stray EOX
        List<MidiMessage> messages = Parse(1, 2, 3, 0xF2, 0x10, 0x20, 0xF1, 0x33, 0xF6, 0xF7, 0x44, 0x90, 60, 100, 62, 0);
        Assert.Equal([new(MidiMessageKind.NoteOn, 0, 60, 100), new(MidiMessageKind.NoteOn, 0, 62, 0)], messages);
    }

    [Fact]
    public void Push_OneDataByteMessages_RunningStatus()
    {
        Assert.Equal(
            [new(MidiMessageKind.ProgramChange, 0, 1, 0), new(MidiMessageKind.ProgramChange, 0, 2, 0), new(MidiMessageKind.ChannelPressure, 15, 90, 0)],
            Parse(0xC0, 1, 2, 0xDF, 90));
    }

    [Fact]
    public void Push_EveryByteValue_NeverThrows_AndAllocatesNothing()
    {
        var parser = new MidiParser();
        var random = new Random(16);
        byte[] bytes = new byte[1 << 16];
        random.NextBytes(bytes);
        int count = 0;
        foreach (byte b in bytes)
        {
            count += parser.Push(b, out _) ? 1 : 0; // warm-up
        }

        // Least of four segments (AllocationProbe): another thread's garbage collection can make the per-thread counter jump once.
        long least = AllocationProbe.SmallestBytesAllocated(() =>
        {
            foreach (byte b in bytes)
            {
                count += parser.Push(b, out _) ? 1 : 0;
            }
        });
        Assert.Equal(0, least);
        Assert.True(count > 0);
    }

    [Fact]
    public void AlsaRawMidi_DeviceMissing_OneClearLine()
    {
        var ex = Assert.Throws<MidiDeviceException>(() => MidiInput.Open("hw:97,0"));
        Assert.StartsWith("MIDI device 'hw:97,0': cannot open it: ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void FileSource_Missing_OneClearLine()
    {
        var ex = Assert.Throws<MidiDeviceException>(() => MidiInput.Open("file:/nonexistent/midi.bin"));
        Assert.Equal("MIDI input 'file:/nonexistent/midi.bin': cannot open it: no such file", ex.Message);
    }

    [Fact]
    public async Task FifoSource_ReadsWhatTheWriterSends_ThenEnds()
    {
        string fifo = Path.Combine(Path.GetTempPath(), "hm-midi-" + Guid.NewGuid().ToString("N")[..8]);
        using (Process mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        try
        {
            Task writer = Task.Run(() => File.WriteAllBytes(fifo, [0xB0, 20, 64, 21, 65]));
            using IMidiByteSource source = MidiInput.Open("file:" + fifo);
            var parser = new MidiParser();
            var messages = new List<MidiMessage>();
            byte[] buffer = new byte[16];
            int read;
            while ((read = source.Read(buffer, CancellationToken.None)) > 0)
            {
                for (int i = 0; i < read; i++)
                {
                    if (parser.Push(buffer[i], out MidiMessage message))
                    {
                        messages.Add(message);
                    }
                }
            }

            await writer.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal([new(MidiMessageKind.ControlChange, 0, 20, 64), new(MidiMessageKind.ControlChange, 0, 21, 65)], messages);
        }
        finally
        {
            File.Delete(fifo);
        }
    }
}
