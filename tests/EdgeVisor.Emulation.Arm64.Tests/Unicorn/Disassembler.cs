using System.Diagnostics;
using System.Text;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;

namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>Listings for failure messages: address, encoding and aarch64-linux-gnu-objdump's disassembly.</summary>
internal static class Disassembler
{
    public static string Listing(uint[] code)
    {
        var lines = Disassemble(code);
        var text = new StringBuilder();
        for (int i = 0; i < code.Length; i++)
        {
            ulong address = A64Machine.CodeBase + ((ulong)i * 4);
            text.Append($"  0x{address:X5}: {code[i]:x8}  {(i < lines.Length ? lines[i] : "?")}\n");
        }

        return text.ToString();
    }

    private static string[] Disassemble(uint[] code)
    {
        string file = Path.Combine(Path.GetTempPath(), "edgevisor-dis-" + Guid.NewGuid().ToString("N") + ".bin");
        try
        {
            var bytes = new byte[code.Length * 4];
            Buffer.BlockCopy(code, 0, bytes, 0, bytes.Length);
            File.WriteAllBytes(file, bytes);
            var start = new ProcessStartInfo("aarch64-linux-gnu-objdump", $"-D -b binary -m aarch64 --adjust-vma=0x{A64Machine.CodeBase:x} {file}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return [];
            }

            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var result = new List<string>();
            foreach (string line in output.Split('\n'))
            {
                // "   10000:\t91000421 \tadd\tx1, x1, #0x1"
                var parts = line.Split('\t');
                if (parts.Length >= 3 && parts[0].TrimEnd().EndsWith(':'))
                {
                    result.Add(string.Join(' ', parts[2..]).Trim());
                }
            }

            return [.. result];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
        finally
        {
            File.Delete(file);
        }
    }
}
