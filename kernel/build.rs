//! Points the linker at the kernel's linker script for the target architecture.
fn main() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let script = format!("{dir}/src/arch/{arch}/linker.ld");
    println!("cargo:rerun-if-changed={script}");
    println!("cargo:rustc-link-arg-bins=-T{script}");
    // The PVH loader reads physical addresses from program headers, and we want
    // no dynamic relocations: the kernel runs exactly where it is linked.
    println!("cargo:rustc-link-arg-bins=--no-dynamic-linker");
    println!("cargo:rustc-link-arg-bins=-static");
    println!("cargo:rustc-link-arg-bins=-znoexecstack");
    embed_vdso();
}

/// The Linux vDSO image (built by `cargo xtask`, which passes its path in
/// `HELCTIC_VDSO`) for `kernel/src/mm/vdso.rs` to `include_bytes!`. A
/// kernel built without xtask gets an empty image and no vDSO.
fn embed_vdso() {
    println!("cargo:rerun-if-env-changed=HELCTIC_VDSO");
    let image = match std::env::var("HELCTIC_VDSO") {
        Ok(path) if !path.is_empty() => path,
        _ => {
            let out = std::env::var("OUT_DIR").unwrap_or_default();
            let empty = format!("{out}/no-vdso.so");
            let _ = std::fs::write(&empty, b"");
            empty
        }
    };
    println!("cargo:rerun-if-changed={image}");
    println!("cargo:rustc-env=HELCTIC_VDSO_IMAGE={image}");
}
