namespace FraudEdge.Service.Tests;

/// <summary>One fraudedged for a whole test class whose tests each use their own connections.</summary>
public sealed class SharedService : IAsyncLifetime
{
    internal ServiceProcess Service { get; private set; } = null!;

    // More slots than the class ever opens (two connections a test). Its tests run back to back in milliseconds,
    // and a closed client's slot is free only once the service's thread for it has run: on a loaded machine
    // (the other test classes start their own services) eight slots were seen full of connections already
    // closed by their clients, and the next test was refused with ServerBusy. The limit has its own test
    // (ConnectionTests).
    public async Task InitializeAsync() => Service = await ServiceProcess.StartAsync(maxConnections: 64);

    public async Task DisposeAsync() => await Service.DisposeAsync();
}
