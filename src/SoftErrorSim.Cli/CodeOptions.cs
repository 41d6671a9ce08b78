using System.CommandLine;
using System.Globalization;
using SoftErrorSim.Core.Coding;

namespace SoftErrorSim.Cli;

/// <summary>The options that describe a configuration, shared by `codes` and `decode`.</summary>
public sealed class CodeOptions
{
    private readonly Option<string> _scheme = Names.Option("--scheme", "Redundancy strategy: gpd, mds, replication or uncoded.", SchemeKind.Gpd, CodeConfiguration.Name);
    private readonly Option<int?> _nodes = new("--nodes") { Description = "P, the number of compute nodes (implied by --row-nodes and --col-nodes for mds). Default 12." };
    private readonly Option<int> _m = new("--m") { Description = "m, row blocks of each weight matrix.", DefaultValueFactory = _ => 2 };
    private readonly Option<int> _n = new("--n") { Description = "n, column blocks of each weight matrix.", DefaultValueFactory = _ => 2 };
    private readonly Option<int?> _d = new("--d") { Description = "d, column blocks of the right factor for matrix-matrix codes (gpd, batch > 1)." };
    private readonly Option<string> _points = Names.Option("--points", "Evaluation points of gpd: unit-circle (the P-th roots of unity with the row-paired complex code, condition number 1; the default), or the real chebyshev, equispaced or random points on [-1, 1] of the paper's literal construction.", EvaluationPointKind.UnitCircle, Names.Kebab);
    private readonly Option<int?> _rowNodes = new("--row-nodes") { Description = "Pr, rows of the CodeNet grid (mds)." };
    private readonly Option<int?> _colNodes = new("--col-nodes") { Description = "Pc, columns of the CodeNet grid (mds)." };
    private readonly Option<string> _parity = Names.Option("--parity", "CodeNet parity rows: gaussian (the authors' choice) or chebyshev.", ParityKind.Gaussian, Names.Kebab);
    private readonly Option<int> _blockRows = new("--block-rows") { Description = "R, rows of each weight block (forward output length, words).", DefaultValueFactory = _ => 64 };
    private readonly Option<int> _blockCols = new("--block-cols") { Description = "C, columns of each weight block (backward output length, words).", DefaultValueFactory = _ => 64 };
    private readonly Option<int> _batchBlockCols = new("--batch-block-cols") { Description = "Columns of each right-factor block in matrix-matrix products.", DefaultValueFactory = _ => 4 };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _scheme, _nodes, _m, _n, _d, _points, _rowNodes, _colNodes, _parity, _blockRows, _blockCols, _batchBlockCols })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The validated configuration and block shape named on the command line.</summary>
    public (CodeConfiguration Code, PassShape Shape) Bind(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var scheme = Names.Parse<SchemeKind>(result.GetValue(_scheme), CodeConfiguration.Name);
        var m = result.GetValue(_m);
        var n = result.GetValue(_n);
        var rowNodes = result.GetValue(_rowNodes);
        var colNodes = result.GetValue(_colNodes);
        int nodes;
        if (scheme == SchemeKind.Mds)
        {
            if (rowNodes is null || colNodes is null)
            {
                throw new UsageException("mds needs --row-nodes Pr and --col-nodes Pc");
            }

            nodes = result.GetValue(_nodes) ?? CodeConfiguration.CodeNetNodeCount(rowNodes.Value, m, colNodes.Value, n);
        }
        else
        {
            if (rowNodes is not null || colNodes is not null)
            {
                throw new UsageException("--row-nodes and --col-nodes apply to --scheme mds only");
            }

            nodes = result.GetValue(_nodes) ?? 12;
        }

        var code = new CodeConfiguration
        {
            Scheme = scheme,
            NodeCount = nodes,
            RowSplit = m,
            ColumnSplit = n,
            BatchSplit = result.GetValue(_d),
            Points = Names.Parse<EvaluationPointKind>(result.GetValue(_points), Names.Kebab),
            RowNodes = rowNodes,
            ColumnNodes = colNodes,
            Parity = Names.Parse<ParityKind>(result.GetValue(_parity), Names.Kebab),
        };
        var shape = new PassShape(result.GetValue(_blockRows), result.GetValue(_blockCols), result.GetValue(_batchBlockCols));
        return (code.Validate(), shape.Validate());
    }

    /// <summary>Parses an inclusive integer range "FROM:TO" (or a single integer).</summary>
    public static (int From, int To) ParseRange(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length is < 1 or > 2
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var from)
            || !int.TryParse(parts[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var to))
        {
            throw new UsageException($"{option} must be FROM:TO with integers (got '{text}')");
        }

        if (from < 0 || to < from)
        {
            throw new UsageException($"{option} must satisfy 0 <= FROM <= TO (got '{text}')");
        }

        return (from, to);
    }
}
