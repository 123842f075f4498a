using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using FraudEdge.Service;
using FraudEdge.Service.Configuration;
using FraudEdge.Service.Connections;
using FraudEdge.Service.Diagnostics;
using FraudEdge.Service.Listening;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

string? configFile = CommandLine.TakeConfigFile(ref args);
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Configuration
    .AddJsonFile(configFile ?? "/etc/fraudedge/fraudedged.json", optional: configFile is null, reloadOnChange: false)
    .AddEnvironmentVariables("FRAUDEDGE_")
    .AddCommandLine(CommandLine.Normalise(args), CommandLine.SwitchMappings);

builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    o.UseUtcTimestamp = true;
});
builder.Services.AddSystemd(); // Type=notify: READY=1 once the socket is bound; journald log format under systemd
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
builder.Services.AddOptions<ServiceOptions>().Bind(builder.Configuration.GetSection(ServiceOptions.Section));
builder.Services.AddMetrics();
builder.Services.AddSingleton<ServiceMetrics>();
builder.Services.AddSingleton(sp => CreateEngine(sp.GetRequiredService<IOptions<ServiceOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
builder.Services.AddSingleton<RequestDispatcher>();
// Registration order matters for stop: hosted services stop in reverse, so the listener drains first and
// the lifecycle's final snapshot sees every decision.
builder.Services.AddHostedService<EngineLifecycle>();
builder.Services.AddHostedService<UnixSocketListener>();

try
{
    using var host = builder.Build();
    await host.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception e) when (e is ProfileException or BundleException or AuditLogException or IOException or InvalidOperationException or UnauthorizedAccessException
                              or System.Net.Sockets.SocketException or OptionsValidationException)
{
    // Start-up failures a operator can fix: one clear line and exit code 2, no stack trace.
    Console.Error.WriteLine($"fraudedged: {e.Message}");
    return 2;
}

static FraudEngine CreateEngine(ServiceOptions options, ILoggerFactory loggers)
{
    HardwareProfile profile = HardwareProfiles.Resolve(options.Profile);
    TrustedKeys? keys = options.TrustedKeys.Length > 0 ? TrustedKeys.FromPemFiles(options.TrustedKeys) : null;
    return new FraudEngine(new FraudEngineOptions
    {
        Profile = profile,
        ModelDirectory = options.ModelDirectory,
        TrustedKeys = keys,
        RulesOnly = options.RulesOnly,
        SnapshotPath = options.SnapshotPath,
        // The service always keeps an audit trail; sizes and durability come from the profile.
        Audit = new AuditLogOptions
        {
            Directory = options.AuditDirectory,
            SegmentBytes = profile.Audit.SegmentBytes,
            MaxTotalBytes = profile.Audit.MaxTotalBytes,
            Durability = AuditLogOptions.ParseDurability(profile.Audit.Durability),
            GroupCommitMs = profile.Audit.GroupCommitMs,
            CheckpointSigningKeyPath = options.AuditSigningKey,
        },
        LoggerFactory = loggers,
    });
}
