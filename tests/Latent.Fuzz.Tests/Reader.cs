namespace Latent.Fuzz.Tests;

/// <summary>Which reader a case is fed to.</summary>
public enum Reader { Idx, Npy, Npz, Png, Csv, SafeTensors, ModelFolder, Checkpoint }
