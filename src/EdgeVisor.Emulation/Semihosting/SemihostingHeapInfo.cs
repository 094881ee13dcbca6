namespace EdgeVisor.Emulation.Semihosting;

/// <summary>
/// What SYS_HEAPINFO reports. newlib's rdimon start-up code uses it to place the heap and the
/// initial stack; all zeros make it keep the values linked into the image.
/// </summary>
public readonly record struct SemihostingHeapInfo(ulong HeapBase, ulong HeapLimit, ulong StackBase, ulong StackLimit);
