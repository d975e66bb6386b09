namespace Latent.Data.Idx;

/// <summary>The content of an IDX file: its element type code, dimensions and the values as float32.</summary>
public sealed class IdxArray
{
    /// <summary>Creates the array (arrays are not copied).</summary>
    public IdxArray(byte typeCode, int[] dims, float[] values)
    {
        TypeCode = typeCode;
        Dims = dims;
        Values = values;
    }

    /// <summary>IDX element type code: 0x08 ubyte, 0x09 sbyte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.</summary>
    public byte TypeCode { get; }

    /// <summary>Dimensions, outermost first ([10000, 28, 28]).</summary>
    public int[] Dims { get; }

    /// <summary>All values, row-major, converted to float32 (unscaled).</summary>
    public float[] Values { get; }
}
