//! The math behind the notebook's chapters: small worked examples the page only draws.

pub mod tiny;
