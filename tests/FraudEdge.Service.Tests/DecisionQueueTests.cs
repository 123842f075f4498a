using System.Diagnostics;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>Connections reach the engine in the order they asked: none can be overtaken while it waits.</summary>
public sealed class DecisionQueueTests
{
    [Fact]
    public void Waiting_callers_go_in_the_order_they_arrived()
    {
        var queue = new DecisionQueue();
        var order = new List<string>();
        queue.Enter(); // a decision in progress
        var threads = new List<Thread>();
        foreach (string name in new[] { "B", "C", "D", "E" })
        {
            var t = new Thread(() =>
            {
                queue.Enter();
                lock (order) order.Add(name);
                queue.Exit();
            });
            t.Start();
            threads.Add(t);
            WaitUntil(() => queue.Waiting == threads.Count); // this one holds its ticket before the next asks
        }
        queue.Exit();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(["B", "C", "D", "E"], order);
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public void Enter_and_exit_allocate_nothing()
    {
        var queue = new DecisionQueue();
        queue.Enter();
        queue.Exit();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            queue.Enter();
            queue.Exit();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "a caller did not start waiting");
            Thread.Sleep(1);
        }
    }
}
