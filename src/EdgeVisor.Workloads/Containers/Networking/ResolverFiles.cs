using System.Net;
using System.Text;

namespace EdgeVisor.Workloads.Containers.Networking;

/// <summary>The /etc/resolv.conf and /etc/hosts a container gets (bind-mounted read-only by its bundle).</summary>
internal static class ResolverFiles
{
    public const string HostResolvConf = "/etc/resolv.conf";

    /// <summary>
    /// resolv.conf for a container with its own network namespace: <paramref name="nameservers"/> when configured,
    /// else the host's name servers without loopback ones (a resolver on the host's 127.0.0.53 is the container's own
    /// loopback inside its namespace, where nothing listens), and the host's search and options lines.
    /// </summary>
    public static string ResolvConf(string hostResolvConf, IReadOnlyList<string> nameservers)
    {
        var servers = new List<string>();
        var rest = new List<string>();
        foreach (string raw in hostResolvConf.Split('\n'))
        {
            string line = raw.Trim();
            string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2)
            {
                continue;
            }

            switch (words[0])
            {
                case "nameserver" when IPAddress.TryParse(words[1], out IPAddress? address) && !IPAddress.IsLoopback(address):
                    servers.Add(words[1]);
                    break;
                case "search" or "domain" or "options":
                    rest.Add(line);
                    break;
            }
        }

        var text = new StringBuilder("# written by the EdgeVisor agent\n");
        foreach (string server in nameservers.Count > 0 ? nameservers : servers)
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }

        foreach (string line in rest)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>/etc/hosts: localhost, and <paramref name="hostname"/> on the container's address (loopback when it has none).</summary>
    public static string Hosts(string hostname, string? address) =>
        "127.0.0.1\tlocalhost\n"
        + "::1\tlocalhost ip6-localhost ip6-loopback\n"
        + $"{address ?? "127.0.1.1"}\t{hostname}\n";

    /// <summary>The host's resolv.conf text ("" when the host has none, as on a device without DNS).</summary>
    public static string ReadHostResolvConf()
    {
        try
        {
            return File.ReadAllText(HostResolvConf);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "";
        }
    }
}
