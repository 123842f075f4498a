using System.Runtime.InteropServices;
using FraudEdge.Core;
using FraudEdge.Service.Configuration;
using FraudEdge.Service.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FraudEdge.Service;

/// <summary>
/// What happens to the engine besides deciding: SIGHUP reloads the bundle folder (a refused bundle keeps
/// the model in force), the history snapshot is written periodically and once more at stop, after the
/// connections have drained (hosted services stop in reverse order, so this one is registered first).
/// </summary>
internal sealed class EngineLifecycle(IOptions<ServiceOptions> options, FraudEngine engine, ILogger<EngineLifecycle> logger) : BackgroundService
{
    private readonly ServiceOptions _options = options.Value;
    private PosixSignalRegistration? _sighup;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means reload, not terminate
            Reload();
        });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.SnapshotPath is null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(5, _options.SnapshotIntervalSeconds)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Snapshot();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _sighup?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Snapshot();
    }

    private void Reload()
    {
        if (_options.ModelDirectory is not { } directory)
        {
            ServiceLog.ReloadWithoutFolder(logger);
            return;
        }
        ServiceLog.Reloading(logger, directory);
        try
        {
            engine.ReloadModel(directory); // logs and keeps the current model when the bundle is refused
        }
        catch (Core.Bundles.BundleException)
        {
            // Already logged by the engine with its code; the model in force stays.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            ServiceLog.ReloadFailed(logger, directory, e.Message);
        }
    }

    private void Snapshot()
    {
        if (_options.SnapshotPath is not { } path) return;
        try
        {
            engine.SaveSnapshot(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ServiceLog.SnapshotFailed(logger, path, e.Message);
        }
    }

    public override void Dispose()
    {
        _sighup?.Dispose();
        base.Dispose();
    }
}
