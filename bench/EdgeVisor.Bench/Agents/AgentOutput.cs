using System.Diagnostics;
using System.Text;

namespace EdgeVisor.Bench.Agents;

/// <summary>Collects a child agent's stdout and stderr (its log), shown when something goes wrong.</summary>
internal sealed class AgentOutput
{
    private readonly StringBuilder _text = new();

    public AgentOutput(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            _text.AppendLine(line);
        }
    }
}
