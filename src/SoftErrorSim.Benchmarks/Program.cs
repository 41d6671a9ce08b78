using BenchmarkDotNet.Running;

// Run by hand, in Release (see README.md): dotnet run -c Release -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
