using System.Buffers;
using System.Text;
using MQTTnet;

namespace EdgeVisor.Agent.Tests.EndToEnd;

/// <summary>One message a test client received.</summary>
public sealed record ReceivedMessage(string Topic, byte[] Payload, bool Retained, DateTimeOffset At)
{
    public string Text => Encoding.UTF8.GetString(Payload);

    public override string ToString() => $"{Topic}{(Retained ? " (retained)" : "")}: {(Payload.Length > 300 ? Text[..300] + "…" : Text)}";
}

/// <summary>
/// Records every message a client receives, in arrival order, and lets a test wait for a condition on them with a
/// timeout whose failure message lists what did arrive (no sleep-and-hope).
/// </summary>
public sealed class ReceivedMessages
{
    private readonly List<ReceivedMessage> _messages = [];

    /// <summary>Starts recording <paramref name="client"/>'s messages (subscribe afterwards).</summary>
    public ReceivedMessages(IMqttClient client)
    {
        client.ApplicationMessageReceivedAsync += e =>
        {
            var message = new ReceivedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain, DateTimeOffset.UtcNow);
            lock (_messages)
            {
                _messages.Add(message);
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>A copy of everything received so far.</summary>
    public IReadOnlyList<ReceivedMessage> All
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Messages received on <paramref name="topic"/> so far.</summary>
    public IReadOnlyList<ReceivedMessage> On(string topic) => [.. All.Where(m => m.Topic == topic)];

    /// <summary>Waits until <paramref name="condition"/> holds for the messages so far; throws with <paramref name="what"/> and the messages on timeout.</summary>
    public async Task<T> WaitForAsync<T>(Func<IReadOnlyList<ReceivedMessage>, T?> condition, TimeSpan timeout, string what, Func<string>? context = null)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            IReadOnlyList<ReceivedMessage> all = All;
            T? result = condition(all);
            if (result is not null)
            {
                return result;
            }

            TimeSpan left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                string seen = all.Count == 0 ? "(nothing)" : string.Join("\n", all.TakeLast(40).Select(m => "  " + m));
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; received {all.Count} message(s), the last ones:\n{seen}" +
                    (context is null ? "" : "\n" + context()));
            }

            // Polling keeps this free of signalling state; 20 ms is far below any timeout a test uses.
            await Task.Delay(left < TimeSpan.FromMilliseconds(20) ? left : TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Waits for the first message on <paramref name="topic"/> matching <paramref name="match"/>.</summary>
    public Task<ReceivedMessage> WaitForMessageAsync(string topic, Func<ReceivedMessage, bool> match, TimeSpan timeout, string what, Func<string>? context = null) =>
        WaitForAsync(all => all.FirstOrDefault(m => m.Topic == topic && match(m)), timeout, what, context);
}
