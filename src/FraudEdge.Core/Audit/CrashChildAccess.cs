using System.Runtime.CompilerServices;

// The crash-test child (tests/FraudEdge.Audit.CrashChild) turns on AuditLogOptions.SplitWritesForCrashTests, a test
// hook that widens the window in which a SIGKILL tears a record; nothing else in it is needed outside Core.
[assembly: InternalsVisibleTo("FraudEdge.Audit.CrashChild")]
