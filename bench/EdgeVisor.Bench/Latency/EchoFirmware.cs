using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Bench.Latency;

/// <summary>
/// The latency benchmark's firmware for mps2-an385, small enough to keep as its Thumb encoding: GPIO0 pin 0 is an
/// edge-interrupt input (IRQ 24, the pin's own line), pin 1 an output; the pin 0 handler clears the interrupt, sets
/// the polarity that catches the next edge (rising or falling) and only then copies pin 0's level to pin 1, so an
/// edge that arrives right after the echo (a host edge is applied at the next instruction boundary) is latched,
/// not lost. Main sleeps in WFI.
/// Source (GNU as, cortex-m3), built and checked with arm-none-eabi-as/objdump:
/// <code>
/// reset:    ldr r0, =0x40010000 ; movs r1, #2 ; str r1, [r0, #0x10]          @ OUTENSET: pin 1 output
///           movs r1, #1 ; str r1, [r0, #0x28] ; str r1, [r0, #0x30]          @ INTTYPESET edge, INTPOLSET rising
///           str r1, [r0, #0x20]                                              @ INTENSET pin 0
///           ldr r2, =0xE000E100 ; mov.w r1, #0x01000000 ; str r1, [r2]       @ NVIC ISER0: IRQ 24
/// loop:     wfi ; b loop
/// pin0_isr: ldr r0, =0x40010000 ; movs r3, #1 ; str r3, [r0, #0x38]         @ INTCLEAR pin 0 first
///           ldr r1, [r0] ; ands.w r1, r1, #1                                 @ DATA: pin 0's level
///           cbz r1, was_low ; str r3, [r0, #0x34] ; b echo                   @ high: INTPOLCLR (next edge falls)
/// was_low:  str r3, [r0, #0x30]                                              @ low: INTPOLSET (next edge rises)
/// echo:     lsls r2, r1, #1 ; str r2, [r0, #4] ; bx lr                       @ DATAOUT: pin 1 = pin 0
/// </code>
/// </summary>
public static class EchoFirmware
{
    /// <summary>The board it runs on.</summary>
    public const string Board = "mps2-an385";

    /// <summary>The GPIO port, its input pin (edges in) and output pin (echo out).</summary>
    public const string Port = "gpio0";

    public const int InputPin = 0;

    public const int OutputPin = 1;

    private const uint InitialStack = 0x2000_1000;
    private const int VectorCount = 16 + 25; // 16 exceptions, IRQ 0-24
    private const uint Reset = VectorCount * 4; // code follows the vector table
    private const uint Pin0Handler = Reset + 0x1A;
    private const int Pin0Irq = 24;

    private static readonly ushort[] Code =
    [
        0x480C, 0x2102, 0x6101, 0x2101, 0x6281, 0x6301, 0x6201, 0x4A0A, 0xF04F, 0x7180, 0x6011, // reset
        0xBF30, 0xE7FD, // loop
        0x4806, 0x2301, 0x6383, 0x6801, 0xF011, 0x0101, 0xB109, 0x6343, 0xE000, // pin0_isr
        0x6303, // was_low
        0x004A, 0x6042, 0x4770, // echo
        0x0000, 0x4001, 0xE100, 0xE000, // literal pool: 0x40010000, 0xE000E100
    ];

    /// <summary>The raw image, loaded at address 0.</summary>
    public static byte[] Bytes()
    {
        var image = new byte[Reset + (Code.Length * 2)];
        WriteWord(image, 0, InitialStack);
        WriteWord(image, 4, Reset | 1);
        WriteWord(image, (16 + Pin0Irq) * 4, Pin0Handler | 1);
        for (int i = 0; i < Code.Length; i++)
        {
            image[Reset + (i * 2)] = (byte)Code[i];
            image[Reset + (i * 2) + 1] = (byte)(Code[i] >> 8);
        }

        return image;
    }

    /// <summary>The image as the machine loads it.</summary>
    public static FirmwareImage Image() => ImageLoader.Parse(Bytes(), "echo-latency.bin", 0, ElfTarget.Arm);

    private static void WriteWord(byte[] image, uint offset, uint value) =>
        BitConverter.TryWriteBytes(image.AsSpan((int)offset, 4), value);
}
