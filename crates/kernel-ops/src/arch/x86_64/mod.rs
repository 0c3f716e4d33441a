//! x86_64: the trap frame, and the FXSAVE image as the FPU state.

mod user_context;

pub use user_context::*;

/// The thread's x87/SSE state in the 512-byte FXSAVE format: what signal
/// frames and debuggers carry on x86_64.
pub type FpuImage = [u8; 512];
