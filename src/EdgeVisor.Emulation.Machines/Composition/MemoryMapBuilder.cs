using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Peripherals;
using EdgeVisor.Emulation.Peripherals.Bus;
using EdgeVisor.Emulation.Peripherals.Catalog;

namespace EdgeVisor.Emulation.Machines.Composition;

/// <summary>
/// Maps a board's memory and peripherals into an address space. Peripherals marked "background" (QEMU's
/// low-priority unimplemented regions) are mapped last and only into the gaps the rest leaves, so a board file
/// can describe "everything in 0x40000000-0x4000FFFF that is not a device reads as zero" as QEMU does.
/// </summary>
internal static class MemoryMapBuilder
{
    public static void MapMemory(BoardDescription board, AddressSpace bus)
    {
        foreach (var m in board.Memory.Where(m => m.AliasOf is null))
        {
            Map(board, m.Name, () => bus.MapMemory(m.Name, m.Base, m.Size, m.Kind));
        }

        foreach (var m in board.Memory.Where(m => m.AliasOf is not null))
        {
            Map(board, m.Name, () => bus.MapAlias(m.Name, m.Base, m.Size, m.AliasOf!.Value));
        }
    }

    /// <summary>Creates every peripheral and maps the foreground ones; background ones wait for <see cref="MapBackground"/>.</summary>
    public static CreatedPeripherals MapPeripherals(BoardDescription board, AddressSpace bus, PeripheralContext context)
    {
        var created = new Dictionary<string, IPeripheral>(StringComparer.OrdinalIgnoreCase);
        var background = new List<(PeripheralDescription Description, IPeripheral Device)>();
        foreach (var d in board.Peripherals)
        {
            if (created.ContainsKey(d.Name))
            {
                throw new FormatException($"board {board.Name}: two peripherals are named {d.Name}");
            }

            IPeripheral device;
            try
            {
                device = PeripheralCatalog.Create(d, context);
            }
            catch (FormatException e)
            {
                throw new FormatException($"board {board.Name}: {e.Message}", e);
            }

            created[d.Name] = device;
            if (PeripheralCatalog.IsBackground(d))
            {
                background.Add((d, device));
            }
            else
            {
                Map(board, d.Name, () => bus.MapDevice(d.Name, d.Base, d.Size, device));
            }
        }

        return new CreatedPeripherals(created, background);
    }

    /// <summary>Fills the gaps of each background window with its device (call after everything else is mapped, the core's system space included).</summary>
    public static void MapBackground(BoardDescription board, AddressSpace bus, CreatedPeripherals peripherals)
    {
        foreach (var (d, device) in peripherals.Background)
        {
            ulong end = (ulong)d.Base + d.Size;
            ulong cursor = d.Base;
            while (cursor < end)
            {
                var occupant = bus.FindRegion((uint)cursor);
                if (occupant is not null)
                {
                    cursor = (ulong)occupant.End + 1;
                    continue;
                }

                ulong gapEnd = NextRegionStart(bus, (uint)cursor, end);
                uint pieceBase = (uint)cursor;
                uint pieceSize = (uint)(gapEnd - cursor);
                var window = new OffsetWindow(device, pieceBase - d.Base);
                Map(board, d.Name, () => bus.MapDevice(d.Name, pieceBase, pieceSize, window));
                cursor = gapEnd;
            }
        }
    }

    private static ulong NextRegionStart(AddressSpace bus, uint from, ulong limit)
    {
        ulong next = limit;
        foreach (var r in bus.Regions)
        {
            if (r.Base > from && r.Base < next)
            {
                next = r.Base;
            }
        }

        return next;
    }

    private static void Map(BoardDescription board, string name, Action map)
    {
        try
        {
            map();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"board {board.Name}: {name}: {e.Message}", e);
        }
    }
}

/// <summary>The peripherals a board created, by name, and the background windows still to be mapped.</summary>
internal sealed record CreatedPeripherals(
    IReadOnlyDictionary<string, IPeripheral> ByName,
    IReadOnlyList<(PeripheralDescription Description, IPeripheral Device)> Background);
