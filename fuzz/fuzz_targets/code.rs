//! libFuzzer target: `cargo fuzz run code --features libfuzzer` (nightly). See fuzz/src/lib.rs.
#![no_main]

#[global_allocator]
static ALLOC: fuzz::alloc::Counting = fuzz::alloc::Counting;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzz::targets::code(data);
});
