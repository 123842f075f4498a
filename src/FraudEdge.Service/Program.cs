using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.History;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tokenization;
using FraudEdge.Service;
using FraudEdge.Service.Configuration;
using FraudEdge.Service.Connections;
using FraudEdge.Service.Diagnostics;
using FraudEdge.Service.Listening;
using FraudEdge.Service.Memory;
using FraudEdge.Service.Placement;
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

// The profile fixes the GC before anything else runs: the GC reads its settings only when the runtime starts,
// so this re-executes the process once with them (GcSettings). A bad profile is a start-up error like any other.
HardwareProfile profile;
string gcDescription;
bool gcApplied;
try
{
    profile = HardwareProfiles.Resolve(builder.Configuration[$"{ServiceOptions.Section}:{nameof(ServiceOptions.Profile)}"]);
    gcApplied = GcSettings.EnsureApplied(profile, out gcDescription);
}
catch (ProfileException e)
{
    Console.Error.WriteLine($"fraudedged: {e.Message}");
    return 2;
}

// CPU placement before the host starts its threads (they inherit the mask): Placement/CpuAffinity.cs.
string? cpus = builder.Configuration[$"{ServiceOptions.Section}:{nameof(ServiceOptions.Cpus)}"];
if (!string.IsNullOrWhiteSpace(cpus))
{
    try
    {
        CpuAffinity.Apply(cpus);
    }
    catch (Exception e) when (e is InvalidOperationException or PlatformNotSupportedException)
    {
        Console.Error.WriteLine($"fraudedged: {e.Message}");
        return 2;
    }
}

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
builder.Services.AddSingleton(sp => new MemoryBudget(profile, sp.GetRequiredService<IOptions<ServiceOptions>>().Value.MemoryBudgetMib));
builder.Services.AddSingleton(sp => CreateEngine(sp.GetRequiredService<IOptions<ServiceOptions>>().Value, profile, sp.GetRequiredService<MemoryBudget>(),
    sp.GetRequiredService<ILoggerFactory>(), gcApplied, gcDescription));
builder.Services.AddSingleton<MemoryWatch>();
builder.Services.AddSingleton<RequestDispatcher>();
// Registration order matters for stop: hosted services stop in reverse, so the listener drains first and
// the lifecycle's final snapshot sees every decision.
builder.Services.AddHostedService<EngineLifecycle>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<MemoryWatch>());
builder.Services.AddHostedService<UnixSocketListener>();

try
{
    using var host = builder.Build();
    // The engine (memory checks, bundle, audit log) before the host starts: a refusal is then one clear line
    // below, not a hosting failure with a stack trace.
    host.Services.GetRequiredService<FraudEngine>();
    await host.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception e) when (e is ProfileException or MemoryBudgetException or BundleException or AuditLogException or IOException or InvalidOperationException or UnauthorizedAccessException
                              or System.Net.Sockets.SocketException or OptionsValidationException)
{
    // Start-up failures a operator can fix: one clear line and exit code 2, no stack trace.
    Console.Error.WriteLine($"fraudedged: {e.Message}");
    return 2;
}

static FraudEngine CreateEngine(ServiceOptions options, HardwareProfile profile, MemoryBudget budget, ILoggerFactory loggers, bool gcApplied, string gcDescription)
{
    ILogger log = loggers.CreateLogger("FraudEdge.Service.Memory");
    if (!gcApplied) ServiceLog.GcNotConfigured(log, gcDescription);
    // Refuse before allocating: the runtime as measured plus what this profile makes the service allocate.
    MemoryPlan plan = budget.CheckBeforeLoad(TerminalHistory.TableBytesFor(profile.History), ModelFileBytes(options));
    TrustedKeys? keys = options.TrustedKeys.Length > 0 ? TrustedKeys.FromPemFiles(options.TrustedKeys) : null;
    var engine = new FraudEngine(new FraudEngineOptions
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
            SealOnClose = true, // a graceful stop signs everything served (docs/audit-log.md, "Sealed at a clean close")
        },
        LoggerFactory = loggers,
    });
    try
    {
        // One run through the model before the first terminal waits: ORT sizes its buffers and the JIT compiles
        // the scoring path, so the resident size measured next is the one decisions will run at.
        int[] warmUp = new int[Tokenizer.SequenceLength];
        engine.ScoreTokens(warmUp, out _);
        long loaded = budget.Resident.ReadBytes();
        // Start-up-only memory back to the kernel (model-load transients, ORT's initialisation code: CodePages),
        // then one more run faults back exactly what a decision touches.
        MemoryWatch.GiveBack();
        engine.ScoreTokens(warmUp, out _);
        long resident = budget.CheckAfterLoad(plan);
        ServiceLog.MemoryPlanned(log, plan.Describe(resident) + $" ({loaded / (1024.0 * 1024):0.0} MiB before start-up-only pages were returned)", gcDescription);
        return engine;
    }
    catch
    {
        engine.Dispose();
        throw;
    }
}

// The model file ORT will hold: the folder's model.onnx, or the bundle embedded in FraudEdge.Core.
static long ModelFileBytes(ServiceOptions options)
{
    if (options.RulesOnly) return 0;
    if (options.ModelDirectory is { } dir)
    {
        var file = new FileInfo(Path.Combine(dir, "model.onnx"));
        return file.Exists ? file.Length : 0;
    }
    var core = typeof(FraudEngine).Assembly;
    string? name = core.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("model.onnx", StringComparison.Ordinal));
    using Stream? model = name is null ? null : core.GetManifestResourceStream(name);
    return model?.Length ?? 0;
}
