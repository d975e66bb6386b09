namespace Latent.NN.Optim;

/// <summary>
/// What an optimizer needs to resume exactly: the step count, the current learning rate and its per-parameter
/// buffers by name ("{index}.{buffer}", e.g. "0.exp_avg", as in PyTorch's state_dict with parameter indices).
/// </summary>
/// <param name="Step">Number of steps taken.</param>
/// <param name="LearningRate">The learning rate in effect.</param>
/// <param name="Buffers">Buffer name -> values (copies, one float per element of the parameter).</param>
public sealed record OptimizerState(long Step, float LearningRate, IReadOnlyDictionary<string, float[]> Buffers);
