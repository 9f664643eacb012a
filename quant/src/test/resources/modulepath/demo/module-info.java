// A user's module: it requires only dev.vquant.quant; the engine and ops types it uses (DType,
// QuantEngine) are readable through quant's and ops' "requires transitive", and the kernel modules
// are found by service binding (engine "uses", kernels "provides"), required by nobody.
module vquant.demo {
    requires dev.vquant.quant;
}
