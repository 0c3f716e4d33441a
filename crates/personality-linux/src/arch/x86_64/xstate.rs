//! The NT_X86_XSTATE register set: the FPU and SSE state in the layout of
//! the XSAVE instruction's standard form, as PTRACE_GETREGSET gives it on
//! Linux. The core keeps only the FXSAVE image (x87 and SSE), so that is
//! what the set describes: the 512-byte legacy area, XCR0 in its unused
//! tail (where Linux's ptrace puts it and gdb reads it), and the XSAVE
//! header saying both components are present.

use kernel_ops::{Error, KResult};

/// The legacy area, then the 64-byte header: all of the standard form for
/// x87 and SSE.
pub const SIZE: usize = 576;
const LEGACY: usize = 512;
/// Where Linux's ptrace puts its software bytes, XCR0 first (bytes
/// 464-511 of the legacy area, which FXSAVE leaves unused).
const SW_BYTES: usize = 464;
/// The components there are: x87 and SSE.
const FEATURES: u64 = 0b11;

/// The register set for `fpu` (an FXSAVE image).
pub fn image(fpu: &[u8; 512]) -> [u8; SIZE] {
    let mut x = [0u8; SIZE];
    x[..LEGACY].copy_from_slice(fpu);
    x[SW_BYTES..LEGACY].fill(0);
    x[SW_BYTES..SW_BYTES + 8].copy_from_slice(&FEATURES.to_le_bytes());
    x[LEGACY..LEGACY + 8].copy_from_slice(&FEATURES.to_le_bytes());
    x
}

/// The FXSAVE image a tracer's register set stands for, checked as Linux
/// checks a user's XSAVE header: EINVAL for a compacted form, a component
/// that does not exist here, or reserved header bytes set. A component
/// the header marks absent is in its initial state.
pub fn apply(x: &[u8; SIZE], fpu: &[u8; 512]) -> KResult<[u8; 512]> {
    let word = |at: usize| u64::from_le_bytes(x[at..at + 8].try_into().unwrap_or([0; 8]));
    let present = word(LEGACY);
    let compacted = word(LEGACY + 8);
    if compacted != 0 || present & !FEATURES != 0 || x[LEGACY + 16..SIZE].iter().any(|b| *b != 0) {
        return Err(Error::InvalidArgument);
    }
    let mut new = *fpu;
    new[..SW_BYTES].copy_from_slice(&x[..SW_BYTES]);
    if present & 1 == 0 {
        // x87 in its initial state: control word 0x37f, the rest zero.
        new[..24].fill(0);
        new[32..160].fill(0);
        new[0..2].copy_from_slice(&0x037fu16.to_le_bytes());
    }
    if present & 2 == 0 {
        new[160..416].fill(0); // the XMM registers
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fpu() -> [u8; 512] {
        let mut f = [0u8; 512];
        for (i, b) in f.iter_mut().enumerate() {
            *b = (i * 7) as u8;
        }
        f
    }

    #[test]
    fn image_has_linux_software_bytes_and_header() {
        let x = image(&fpu());
        assert_eq!(&x[..SW_BYTES], &fpu()[..SW_BYTES]);
        assert_eq!(u64::from_le_bytes(x[464..472].try_into().unwrap()), 3, "XCR0 where gdb reads it");
        assert!(x[472..512].iter().all(|b| *b == 0));
        assert_eq!(u64::from_le_bytes(x[512..520].try_into().unwrap()), 3, "xstate_bv");
        assert!(x[520..].iter().all(|b| *b == 0));
    }

    /// LTP's ptrace07 sets every bit of xcomp_bv.
    #[test]
    fn bad_headers_are_einval() {
        let mut x = image(&fpu());
        x[520..528].fill(0xff);
        assert_eq!(apply(&x, &fpu()), Err(Error::InvalidArgument));
        let mut x = image(&fpu());
        x[512] = 0b111; // AVX
        assert_eq!(apply(&x, &fpu()), Err(Error::InvalidArgument));
        let mut x = image(&fpu());
        x[575] = 1;
        assert_eq!(apply(&x, &fpu()), Err(Error::InvalidArgument));
    }

    #[test]
    fn absent_components_are_initial() {
        let mut x = image(&fpu());
        x[512] = 0;
        let f = apply(&x, &fpu()).unwrap();
        assert_eq!(&f[0..2], &0x37fu16.to_le_bytes());
        assert!(f[160..416].iter().all(|b| *b == 0));
        assert_eq!(&f[24..32], &fpu()[24..32], "MXCSR stays");
    }

    proptest! {
        /// What GETREGSET gives, SETREGSET takes back unchanged; the
        /// software bytes are never the tracer's to set.
        #[test]
        fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 512), junk in any::<u8>()) {
            let f: [u8; 512] = bytes.try_into().unwrap();
            let mut x = image(&f);
            prop_assert_eq!(&apply(&x, &f).unwrap()[..], &f[..]);
            x[470] = junk;
            prop_assert_eq!(&apply(&x, &f).unwrap()[SW_BYTES..], &f[SW_BYTES..]);
        }
    }
}
