namespace Latent.Models.Contractive;

/// <summary>How a <see cref="ContractiveAutoencoder"/> computes ‖J_f(x)‖²_F.</summary>
public enum JacobianMethod
{
    /// <summary>The closed form when the encoder is exactly one Linear + sigmoid, the exact autodiff form otherwise.</summary>
    Auto,
    /// <summary>Always the exact second-order autodiff form (Z backward passes per batch).</summary>
    Exact,
}
