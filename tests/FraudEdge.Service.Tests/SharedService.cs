namespace FraudEdge.Service.Tests;

/// <summary>One fraudedged for a whole test class whose tests each use their own connections.</summary>
public sealed class SharedService : IAsyncLifetime
{
    internal ServiceProcess Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await ServiceProcess.StartAsync(maxConnections: 8);

    public async Task DisposeAsync() => await Service.DisposeAsync();
}
