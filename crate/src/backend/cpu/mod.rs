//! The CPU reference backend (being written).
pub struct Cpu;
