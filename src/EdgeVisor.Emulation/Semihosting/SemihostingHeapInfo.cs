using EdgeVisor.Emulation.Loading;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Semihosting;

/// <summary>
/// What SYS_HEAPINFO reports. newlib's rdimon start-up code uses it to place the heap and the
/// initial stack; all zeros make it keep the values linked into the image.
/// </summary>
public readonly record struct SemihostingHeapInfo(ulong HeapBase, ulong HeapLimit, ulong StackBase, ulong StackLimit)
{
    /// <summary>
    /// The layout qemu-system-arm reports, so heap and stack addresses (and anything a firmware
    /// prints about them) match it: take the largest writable RAM region (the first one on a tie),
    /// find the largest stretch of it the loaded image does not occupy, and give that to the heap
    /// growing up from its start and the stack growing down from its end.
    /// </summary>
    /// <param name="memory">The board's address space, with its memory mapped.</param>
    /// <param name="loaded">The segments the image placed (<see cref="FirmwareImage.Segments"/>).</param>
    public static SemihostingHeapInfo LikeQemu(AddressSpace memory, IEnumerable<ImageSegment> loaded)
    {
        MemoryRegion? ram = null;
        foreach (var region in memory.Regions)
        {
            if (region.Kind == RegionKind.Ram && (ram is null || region.Size > ram.Size))
            {
                ram = region;
            }
        }

        if (ram is null)
        {
            return default;
        }

        var (start, end) = LargestGap(ram.Base, (ulong)ram.Base + ram.Size, loaded);
        return new SemihostingHeapInfo(start, end, end, start);
    }

    // The longest part of [regionStart, regionEnd) that no segment covers; the first one on a tie.
    private static (ulong Start, ulong End) LargestGap(ulong regionStart, ulong regionEnd, IEnumerable<ImageSegment> loaded)
    {
        ulong cursor = regionStart;
        (ulong Start, ulong End) best = (regionStart, regionStart);
        foreach (var segment in loaded.Where(s => s.Length != 0).OrderBy(s => s.Address))
        {
            ulong segmentStart = segment.Address;
            ulong segmentEnd = segmentStart + segment.Length;
            if (segmentEnd <= regionStart)
            {
                continue;
            }

            if (segmentStart >= regionEnd)
            {
                break;
            }

            if (segmentStart > cursor && segmentStart - cursor > best.End - best.Start)
            {
                best = (cursor, segmentStart);
            }

            cursor = Math.Max(cursor, segmentEnd);
        }

        if (regionEnd > cursor && regionEnd - cursor > best.End - best.Start)
        {
            best = (cursor, regionEnd);
        }

        return best;
    }
}
